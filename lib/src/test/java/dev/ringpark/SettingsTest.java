package dev.ringpark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A bad setting, with native access and without it: every open and {@link Ringpark#driver()} throws an
 * {@link java.io.IOException} that names the property, the same way every time, in a child JVM (the
 * settings are read once per process).
 */
class SettingsTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "-D{0}={1}, native access denied: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            ringpark.threads      | 0     | false | ringpark.threads must be from 1 to 1024, was: 0
            ringpark.threads      | 0     | true  | ringpark.threads must be from 1 to 1024, was: 0
            ringpark.threads      | many  | true  | ringpark.threads must be from 1 to 1024, was: many
            ringpark.ring.entries | 7     | false | ringpark.ring.entries must be a power of two from 8 to 32768, was: 7
            ringpark.driver       | bogus | false | ringpark.driver: no driver "bogus"; there are io_uring, aio and threads
            ringpark.driver       | bogus | true  | ringpark.driver: no driver "bogus"; there are io_uring, aio and threads
            ringpark.driver       | aio   | true  | ringpark.driver=aio cannot run: native access is denied
            """)
    void everyCallFailsWithAnIoExceptionNamingTheSetting(String property, String value, boolean denied,
                                                          String message) throws Exception {
        List<String> jvmOptions = new ArrayList<>(List.of("-D" + property + "=" + value));
        if (denied) {
            jvmOptions.add(ChildJvm.DENY_NATIVE_ACCESS);
        }
        ChildJvm.Result child = ChildJvm.run(
                ChildJvm.command(List.of(), jvmOptions, tmp, SettingsProbe.class, tmp.toString()), tmp, CHILD_TIMEOUT);
        ChildJvm.assertNoCrash(child, tmp);
        List<String> lines = child.stdout().lines().toList();
        String failure = " java.io.IOException: " + message;
        List<String> expected = List.of("OPEN" + failure, "OPEN" + failure, "DRIVER" + failure);
        assertEquals(0, child.exitCode(), child.toString());
        assertEquals(expected.size(), lines.size(), child.toString());
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(lines.get(i).startsWith(expected.get(i)), "line " + i + " of " + child);
        }
    }
}
