package dev.ringpark.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./dev}, the wrapper a new user runs first ({@code ./dev demo}, {@code ./dev test}), run as a
 * user would run it: in its own process, from the repository's root.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DevScriptTest {
    private static final byte ESCAPE = 0x1b;

    @TempDir
    Path tmp;

    /** What a run of {@code dev} did. */
    record Run(int exitCode, String stdout, String stderr, byte[] rawStdout, byte[] rawStderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /**
     * No JDK 25 where dev looks: it must stop with its message. Whether Maven started is seen through
     * {@code ~/.mavenrc}, which Maven's launcher script runs first (HOME is a directory of the test's):
     * here it leaves a mark.
     */
    @Test
    void withoutAJdk25ItStopsWithItsMessageAndStartsNoMaven() throws Exception {
        Path noJdks = Files.createDirectory(tmp.resolve("jvm"));
        Path home = Files.createDirectory(tmp.resolve("home"));
        Path started = tmp.resolve("maven-started");
        Files.writeString(home.resolve(".mavenrc"), "touch '" + started + "'\n");
        Run run = dev(Map.of("RINGPARK_JVM_DIR", noJdks.toString(), "HOME", home.toString()), List.of("JAVA_HOME"),
                "mvn", "-v");
        assertAll(run.toString(),
                () -> assertNotEquals(0, run.exitCode(), "exit status"),
                () -> assertTrue(run.stderr().contains("dev: no JDK 25 or newer found"), "the message on stderr"),
                () -> assertTrue(run.stderr().contains(noJdks.toString()), "the message names where it looked"),
                () -> assertFalse(Files.exists(started), "Maven's launcher ran"));
    }

    /**
     * Maven 3.8 wraps stdout and stderr in jansi, which writes {@code ESC[0m} to each when Maven ends,
     * terminal or not, batch mode or not: stray bytes before the demo's first line and in every log.
     */
    @Test
    void mavenRunThroughItWritesNoTerminalEscapes() throws Exception {
        Run run = dev(Map.of("JAVA_HOME", System.getProperty("java.home")), List.of(), "mvn", "-v");
        assertAll(run.toString(),
                () -> assertEquals(0, run.exitCode(), "exit status"),
                () -> assertTrue(run.stdout().contains("Apache Maven"), "Maven ran"),
                () -> assertEquals(-1, indexOf(run.rawStdout(), ESCAPE), "the first ESC byte on stdout"),
                () -> assertEquals(-1, indexOf(run.rawStderr(), ESCAPE), "the first ESC byte on stderr"));
    }

    /**
     * Runs {@code bash dev args...} from the repository's root with this process's environment less
     * {@code MAVEN_OPTS} (dev sets it) and {@code unset}, plus {@code set}.
     */
    private Run dev(Map<String, String> set, List<String> unset, String... args)
            throws IOException, InterruptedException {
        Path root = repositoryRoot();
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("dev").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        builder.environment().remove("MAVEN_OPTS");
        unset.forEach(builder.environment()::remove);
        builder.environment().putAll(set);
        Path out = tmp.resolve("dev.out");
        Path err = tmp.resolve("dev.err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("dev " + String.join(" ", args) + " did not end within 90 s");
        }
        byte[] stdout = Files.readAllBytes(out);
        byte[] stderr = Files.readAllBytes(err);
        return new Run(process.exitValue(), new String(stdout, StandardCharsets.UTF_8),
                new String(stderr, StandardCharsets.UTF_8), stdout, stderr);
    }

    /** The directory holding {@code dev}: this module's parent, found from the working directory. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("dev")) && Files.isDirectory(dir.resolve("examples"))) {
                return dir;
            }
        }
        throw new AssertionError("no dev script above " + Path.of("").toAbsolutePath());
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
