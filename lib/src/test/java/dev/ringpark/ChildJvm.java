package dev.ringpark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a main class of the test sources in a child JVM: this JVM's own {@code java}, class path and
 * native access, its crash log (if any) kept in {@code directory}. For settings that are read once per
 * process ({@code ringpark.ring.entries}), process limits ({@code prlimit}) and JVM exit.
 */
final class ChildJvm {
    private ChildJvm() {}

    /** What a child did: its exit code, its output and error output, and how long it ran. */
    record Result(int exitCode, String stdout, String stderr, Duration elapsed) {
        @Override
        public String toString() {
            return "exit " + exitCode + " after " + elapsed.toMillis() + " ms\n--- stdout\n" + stdout + "--- stderr\n"
                    + stderr;
        }

        /** The value of the first {@code key=value} token that stdout prints for {@code key}. */
        long value(String key) {
            for (String token : stdout.split("\\s+")) {
                if (token.startsWith(key + "=")) {
                    return Long.parseLong(token.substring(key.length() + 1));
                }
            }
            throw new AssertionError("the child printed no " + key + "=...: " + this);
        }
    }

    /** The JVM option that takes native access away from the child's class path. */
    static final String DENY_NATIVE_ACCESS = "--illegal-native-access=deny";

    /**
     * The command: {@code prefix} (e.g. prlimit), java, JVM options, the main class and its arguments.
     * The child has native access unless {@code jvmOptions} hold {@link #DENY_NATIVE_ACCESS}.
     */
    static List<String> command(List<String> prefix, List<String> jvmOptions, Path directory, Class<?> main,
                                String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(ProcessHandle.current().info().command().orElseThrow(() -> new AssertionError("no java command")));
        if (!jvmOptions.contains(DENY_NATIVE_ACCESS)) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.add("-XX:ErrorFile=" + directory.resolve("hs_err_pid%p.log"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(jvmOptions);
        command.add(main.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** Runs the command in {@code directory}; kills it and fails if it runs longer than {@code timeout}. */
    static Result run(List<String> command, Path directory, Duration timeout) throws IOException, InterruptedException {
        return run(command, directory, timeout, Map.of());
    }

    /** {@link #run(List, Path, Duration)} with {@code environment} added to this process's environment. */
    static Result run(List<String> command, Path directory, Duration timeout, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(directory, "child", ".out");
        Path err = Files.createTempFile(directory, "child", ".err");
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("the child JVM did not end within " + timeout + "; stdout: " + Files.readString(out) + "\nstderr: "
                        + Files.readString(err));
            }
        } finally {
            process.destroyForcibly();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err), elapsed);
    }

    /** No JVM crash: no fatal-error report, no signal, no crash log left in {@code directory}. */
    static void assertNoCrash(Result result, Path directory) throws IOException {
        for (String sign : List.of("A fatal error has been detected", "SIGSEGV", "SIGBUS", "hs_err_pid", "Internal Error")) {
            assertFalse(result.stderr().contains(sign) || result.stdout().contains(sign),
                    "the child JVM crashed (" + sign + "): " + result);
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> crashLogs = files.filter(p -> p.getFileName().toString().startsWith("hs_err")).toList();
            assertFalse(!crashLogs.isEmpty(), "crash logs " + crashLogs + ": " + result);
        }
        // Killed by a signal: the exit code is 128 + the signal's number.
        assertFalse(result.exitCode() > 128 && result.exitCode() < 160, "the child JVM died of a signal: " + result);
    }
}
