package dev.ringpark.examples;

import dev.ringpark.DriverReport;
import dev.ringpark.Ringpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jar this module packages, run as the README tells users to run it. The JVM reads the
 * {@code Enable-Native-Access} manifest attribute from the jar it launches with {@code java -jar}
 * and from no other: launched so, the demo needs no flag even under
 * {@code --illegal-native-access=deny}, and runs the driver Ringpark runs here with native access
 * (io_uring, where the machine allows it), not the fallback; the same classes on the class path, the
 * library's jars declaring the attribute too, get the fallback.
 *
 * <p>Runs after {@code package} (a surefire execution of its own in {@code examples/pom.xml}), on
 * {@code target/ringpark-examples.jar} and the {@code target/lib} it names.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PackagedDemoTest {
    private static final Path JAR = Path.of("target", "ringpark-examples.jar");
    private static final String DENY = "--illegal-native-access=deny";
    private static final String DENIED = "native access is denied";
    /** The demo at its smallest: 2 threads, 1 s per channel, a 1 MiB file. */
    private static final List<String> TINY = List.of("2", "1", "1");

    @TempDir
    Path tmp;

    @Test
    void theJarDeclaresNativeAccessForTheClassPath() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertEquals("ALL-UNNAMED", jar.getManifest().getMainAttributes().getValue("Enable-Native-Access"));
        }
    }

    @Test
    void javaDashJarRunsWithNativeAccessUnderDeny() throws Exception {
        DriverReport withNativeAccess = Ringpark.driver(); // this JVM has --enable-native-access
        List<String> command = new ArrayList<>(List.of(java(), DENY, "-jar", JAR.toString()));
        command.addAll(TINY);
        String output = run(command);
        assertAll(output,
                () -> assertTrue(output.lines().anyMatch(line -> line.startsWith("RingFileChannel ")
                        && line.contains(withNativeAccess.driver() + " (")), "the RingFileChannel row names "
                        + withNativeAccess.driver() + ", the driver with native access here"),
                () -> assertFalse(output.contains(DENIED), "Ringpark fell back for want of native access"));
    }

    @Test
    void theSameJarsOnTheClassPathGetTheFallback() throws Exception {
        String classPath = JAR + ":" + JAR.resolveSibling("lib") + "/*";
        List<String> command = new ArrayList<>(List.of(java(), DENY, "-cp", classPath, ColdReadDemo.class.getName()));
        command.addAll(TINY);
        String output = run(command);
        assertTrue(output.contains("Ringpark skipped io_uring: " + DENIED), output);
    }

    /** Runs the command in the module's directory; fails unless it exits 0 within 90 s. Its stdout and stderr. */
    private String run(List<String> command) throws IOException, InterruptedException {
        Path out = tmp.resolve("out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean ended = process.waitFor(90, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(ended, "did not end within 90 s: " + String.join(" ", command) + "\n" + output);
        assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + output);
        return output;
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElseThrow(() -> new AssertionError("no java command"));
    }
}
