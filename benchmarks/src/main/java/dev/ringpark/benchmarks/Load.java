package dev.ringpark.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Virtual threads that each repeat one blocking operation until stopped, and the count of what
 * they completed: the steady load of a benchmark, with every caller always busy (as fio keeps its
 * queue depth full), rather than batches that end with a tail of idle callers.
 *
 * <p>The benchmark's JMH thread only watches: it calls {@link #awaitProgress()}, which sleeps for
 * a sample period and returns what was completed meanwhile. JMH times those calls, so operations
 * per second come out of an {@code OPERATIONS} counter fed with the progress.
 */
final class Load {
    /** How long {@link #awaitProgress()} sleeps: short against an iteration, long against an operation. */
    static final long SAMPLE_PERIOD_MILLIS = 10;

    /** One operation of one caller. */
    @FunctionalInterface
    interface Step {
        /** Does one operation as caller number {@code caller} (0-based) and returns once it is complete. */
        void run(int caller) throws IOException;
    }

    /** What the callers completed, and the process CPU time spent, between two looks. */
    record Progress(long operations, long cpuNanos) {
    }

    private final List<Thread> callers;
    private final LongAdder completed = new LongAdder();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopped;
    /** Only the watching thread reads and writes these. */
    private long lastCompleted;
    private long lastCpuNanos;

    private Load(int callerCount, Step step) {
        callers = new ArrayList<>(callerCount);
        for (int caller = 0; caller < callerCount; caller++) {
            int number = caller;
            callers.add(Thread.ofVirtual().unstarted(() -> repeat(step, number)));
        }
        callers.forEach(Thread::start);
        lastCpuNanos = ProcessCpu.nanos();
    }

    /** Starts {@code callers} virtual threads, each repeating {@code step}; the progress counts from now. */
    static Load start(int callers, Step step) {
        return new Load(callers, step);
    }

    /**
     * Sleeps {@value #SAMPLE_PERIOD_MILLIS} ms and returns what was completed since the previous
     * call (or since the start). Only one thread may call it.
     *
     * @throws IOException when a caller has failed: the first failure, as its cause
     */
    Progress awaitProgress() throws IOException, InterruptedException {
        Thread.sleep(SAMPLE_PERIOD_MILLIS);
        return progress();
    }

    /** What was completed since the previous look, without waiting; see {@link #awaitProgress()}. */
    Progress progress() throws IOException {
        throwIfFailed();
        long nowCompleted = completed.sum();
        long nowCpuNanos = ProcessCpu.nanos();
        Progress progress = new Progress(nowCompleted - lastCompleted, nowCpuNanos - lastCpuNanos);
        lastCompleted = nowCompleted;
        lastCpuNanos = nowCpuNanos;
        return progress;
    }

    /**
     * Asks every caller to stop after its current operation and waits until all have.
     *
     * @throws IOException when a caller has failed
     */
    void stop() throws IOException, InterruptedException {
        stopped = true;
        for (Thread caller : callers) {
            caller.join();
        }
        throwIfFailed();
    }

    private void repeat(Step step, int caller) {
        try {
            while (!stopped) {
                step.run(caller);
                completed.increment();
            }
        } catch (IOException | RuntimeException e) {
            failure.compareAndSet(null, e);
            stopped = true;
        }
    }

    private void throwIfFailed() throws IOException {
        Throwable first = failure.get();
        if (first != null) {
            throw new IOException("a caller failed: " + first, first);
        }
    }
}
