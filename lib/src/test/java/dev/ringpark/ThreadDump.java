package dev.ringpark;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.ringpark.poller.Operation;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * What a test that hangs should say: every thread of this JVM, virtual ones included, with their
 * stacks; what the kernel says of this process (each task's kernel stack, where root may read it,
 * and each io_uring instance's queue heads and tails and what it still holds); and which callers
 * are parked for an operation that is already done, which is a lost wake-up.
 */
final class ThreadDump {
    private ThreadDump() {
    }

    /** The dumps as text, each part saying why it is missing when it could not be made. */
    static String all(List<Thread> callers) {
        return javaThreads() + "\n--- kernel tasks ---\n" + kernelTasks() + "\n--- io_uring instances ---\n" + rings()
                + "\n--- callers parked for an operation ---\n" + parkedCallers(callers);
    }

    private static String parkedCallers(List<Thread> callers) {
        StringBuilder text = new StringBuilder();
        for (Thread caller : callers) {
            if (LockSupport.getBlocker(caller) instanceof Operation operation) {
                text.append(caller).append(" parked for ").append(operation).append(", done: ")
                        .append(operation.isDone()).append('\n');
            }
        }
        return text.toString();
    }

    private static String javaThreads() {
        try {
            Path file = Files.createTempFile("ringpark-threads-", ".txt");
            Files.delete(file); // dumpThreads refuses to overwrite
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
            String dump = Files.readString(file);
            Files.delete(file);
            return dump;
        } catch (IOException | RuntimeException e) {
            return "(no thread dump: " + e + ")";
        }
    }

    private static String kernelTasks() {
        StringBuilder text = new StringBuilder();
        for (Path task : list(Path.of("/proc/self/task"))) {
            text.append(task.getFileName()).append(' ').append(read(task.resolve("comm")).trim())
                    .append(" wchan=").append(read(task.resolve("wchan")).trim()).append('\n')
                    .append(read(task.resolve("stack")));
        }
        return text.toString();
    }

    private static String rings() {
        StringBuilder text = new StringBuilder();
        for (Path fd : list(Path.of("/proc/self/fd"))) {
            try {
                if (Files.readSymbolicLink(fd).toString().contains("io_uring")) {
                    text.append("fd ").append(fd.getFileName()).append(":\n")
                            .append(read(Path.of("/proc/self/fdinfo").resolve(fd.getFileName())));
                }
            } catch (IOException | RuntimeException e) {
                // closed meanwhile
            }
        }
        return text.toString();
    }

    private static List<Path> list(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException | RuntimeException e) {
            return "(" + e + ")\n";
        }
    }
}
