package dev.ringpark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The driver this JVM runs on is the one asked for: the contract suite runs once per driver (the
 * surefire executions in {@code lib/pom.xml} set {@value Ringpark#DRIVER_PROP_NAME}), and a run that
 * silently fell back to another driver would prove nothing about the one it names. Without native
 * access, the thread pool runs and both other drivers are reported skipped for that reason.
 */
class DriverChoiceTest {
    private static final String DENIED = "native access is denied to the class path"
            + " (--illegal-native-access=deny without --enable-native-access=ALL-UNNAMED)";

    @Test
    void theDriverInUseIsTheOneAskedForOrIoUringOnThisMachine() throws IOException {
        String asked = System.getProperty(Ringpark.DRIVER_PROP_NAME);
        DriverReport report = Ringpark.driver();
        System.out.println("DriverChoiceTest: " + report);
        // This machine has io_uring; probing must pick it and skip nothing.
        assertEquals(asked == null ? "io_uring" : asked, report.driver(), report.toString());
        if (ManagementFactory.getRuntimeMXBean().getInputArguments().contains("--illegal-native-access=deny")) {
            assertEquals(List.of("io_uring: " + DENIED, "aio: " + DENIED), report.skipped());
        } else {
            assertEquals(List.of(), report.skipped(), "a forced driver probes nothing, and io_uring works here");
        }
    }
}
