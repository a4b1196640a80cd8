package dev.ringpark;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Threads of this process seen asleep in a system call, from {@code /proc/self/task/<tid>/syscall}
 * (the number of the call a thread that is not running is in, and its arguments) and
 * {@code /proc/self/task/<tid>/stat} (its state). To Java, a platform thread blocked in
 * {@code read(2)} is as RUNNABLE as one that computes: this sees it wait in the kernel, so that a
 * test fires its event only once the threads that wait for it are there.
 */
final class KernelWaits {
    /** A system call, by its number on x86_64 and on aarch64. */
    enum Call {
        READ(0, 63), OPENAT(257, 56);

        private final long number;

        Call(long x86Number, long armNumber) {
            this.number = System.getProperty("os.arch").toLowerCase(Locale.ROOT).equals("aarch64") ? armNumber : x86Number;
        }
    }

    private static final Path TASKS = Path.of("/proc/self/task");

    private KernelWaits() {
    }

    /** Skips the test where the kernel does not show the system call a thread is in. */
    static void assumeVisible() {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/thread-self/syscall")),
                "this kernel shows no /proc/<pid>/task/<tid>/syscall, by which the test sees threads wait in it");
    }

    /** The kernel's id of the calling thread ({@code /proc/thread-self} links to {@code <pid>/task/<tid>}). */
    static int currentTid() {
        try {
            return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        } catch (IOException e) {
            throw new AssertionError("cannot read /proc/thread-self", e);
        }
    }

    /**
     * Whether thread {@code tid} sleeps in {@code call}; when {@code file} is given, with a first argument
     * that is a descriptor of that file.
     */
    static boolean isIn(int tid, Call call, Path file) {
        Path task = TASKS.resolve(Integer.toString(tid));
        try {
            String stat = Files.readString(task.resolve("stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2); // after the name, which may hold anything
            String[] syscall = Files.readString(task.resolve("syscall")).trim().split(" ");
            if (state != 'S' || syscall.length < 2 || !syscall[0].equals(Long.toString(call.number))) {
                return false;
            }
            if (file == null) {
                return true;
            }
            long fd = Long.decode(syscall[1]);
            return Files.readSymbolicLink(Path.of("/proc/self/fd", Long.toString(fd))).equals(file.toRealPath());
        } catch (IOException | NumberFormatException | StringIndexOutOfBoundsException e) {
            return false; // ended meanwhile, or "running", or the descriptor closed
        }
    }

    /** How many threads of this process sleep in {@code call} (on {@code file}, when given). */
    static long countIn(Call call, Path file) {
        long count = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                if (isIn(Integer.parseInt(task.getFileName().toString()), call, file)) {
                    count++;
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list " + TASKS, e);
        }
        return count;
    }

    /** Waits, looking every millisecond, until {@code condition} holds; fails after {@code timeout} saying {@code what}. */
    static void await(BooleanSupplier condition, Duration timeout, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what.get());
            }
            Thread.sleep(1);
        }
    }
}
