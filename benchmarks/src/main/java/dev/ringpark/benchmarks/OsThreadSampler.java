package dev.ringpark.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Counts the JVM's OS threads every 10 ms on a platform thread of its own and keeps the highest
 * count. Linux lists each thread of a process as a directory under {@code /proc/self/task}.
 *
 * <p>The sampler's own thread is among those it counts, for whichever channel is measured.
 */
final class OsThreadSampler {
    private static final long PERIOD_MILLIS = 10;
    private static final Path TASKS = Path.of("/proc/self/task");

    private final Thread sampler;
    /** Written by the sampling thread only, read by whoever asks for the peak. */
    private volatile int peak;

    private OsThreadSampler() {
        peak = count();
        sampler = Thread.ofPlatform().daemon().name("os-thread-sampler").start(this::sampleUntilInterrupted);
    }

    /** Starts sampling at once. */
    static OsThreadSampler start() {
        return new OsThreadSampler();
    }

    /** The most OS threads seen since {@link #start()}; still valid after {@link #stop()}. */
    int peak() {
        return peak;
    }

    /** Stops the sampling thread and waits for it to end. */
    void stop() throws InterruptedException {
        sampler.interrupt();
        sampler.join();
    }

    private void sampleUntilInterrupted() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(PERIOD_MILLIS);
                peak = Math.max(peak, count());
            }
        } catch (InterruptedException stopped) {
            // stop() was called: the peak is final
        }
    }

    static int count() {
        try (Stream<Path> tasks = Files.list(TASKS)) {
            return (int) tasks.count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + TASKS, e);
        }
    }
}
