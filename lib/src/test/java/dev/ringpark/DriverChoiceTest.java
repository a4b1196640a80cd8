package dev.ringpark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringpark.poller.ladder.DriverLadder;
import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The driver this JVM runs on is the one the run asked for. The contract suite runs once per driver
 * (the surefire executions in {@code lib/pom.xml} set {@value Ringpark#DRIVER_PROP_NAME}), and a run
 * that silently fell back to another driver would prove nothing about the one it names. Without
 * native access the thread pool runs, and both other drivers are reported skipped for that reason.
 * Without the property (the default run) probing must pick the first driver that the kernel allows
 * here, asked directly ({@link ThisMachine#firstWorkingDriver()}), and give, for each driver above it,
 * the error the kernel gave.
 */
class DriverChoiceTest {
    private static final String DENIED = "native access is denied to the class path"
            + " (--illegal-native-access=deny without --enable-native-access=ALL-UNNAMED)";

    @Test
    void theDriverInUseIsTheOneTheRunAskedFor() throws IOException {
        String asked = System.getProperty(Ringpark.DRIVER_PROP_NAME);
        DriverReport report = Ringpark.driver();
        System.out.println("DriverChoiceTest: " + report);
        if (ThisMachine.nativeAccessDenied()) {
            assertEquals(DriverLadder.Rung.THREADS.label(), report.driver(), report.toString());
            assertEquals(List.of("io_uring: " + DENIED, "aio: " + DENIED), report.skipped());
        } else if (asked != null) {
            assertEquals(asked, report.driver(), report.toString());
            assertEquals(List.of(), report.skipped(), "a forced driver probes nothing");
        } else {
            DriverLadder.Rung first = ThisMachine.firstWorkingDriver();
            assertEquals(first.label(), report.driver(), "the first driver the kernel allows here: " + report);
            List<DriverLadder.Rung> above = List.of(DriverLadder.Rung.values()).subList(0, first.ordinal());
            assertEquals(above.size(), report.skipped().size(), "one reason per driver above " + first.label()
                    + ": " + report);
            for (int i = 0; i < above.size(); i++) {
                DriverLadder.Rung rung = above.get(i);
                String reason = report.skipped().get(i);
                String kernelSaid = ThisMachine.refusal(rung).orElseThrow().kernelSaid();
                assertTrue(reason.startsWith(rung.label() + ": ") && reason.contains(kernelSaid),
                        "the reason io_uring was skipped names what the kernel said (" + kernelSaid + "): " + reason);
            }
        }
    }
}
