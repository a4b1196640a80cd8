package dev.ringpark.benchmarks;

import dev.ringpark.Ringpark;
import dev.ringpark.RingparkStatistics;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Where one read's cost goes, counted: {@code threads} virtual threads read random 4 KiB blocks of
 * the shared 1 GiB file through Ringpark ({@code O_DIRECT}, or buffered and cold) for
 * {@code seconds}, after as long a warm-up, and the program prints, per read, what
 * {@link Ringpark#statistics()} counted (system calls to the ring, submissions per call, the poller's
 * sleeps, the callers' wake-up signals, page-cache hits) and the process's CPU time. Run it under JFR
 * for the execution and allocation samples behind the same reads:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -XX:StartFlightRecording=filename=handoff.jfr,settings=profile \
 *     -cp benchmarks/target/benchmarks.jar dev.ringpark.benchmarks.HandOffProfile direct 1 10
 * jfr print --events jdk.ExecutionSample handoff.jfr       # or jfr view hot-methods handoff.jfr
 * jfr view allocation-by-class handoff.jfr
 * </pre>
 *
 * Arguments: {@code direct} or {@code cold}; threads; seconds. Add
 * {@code -Dringpark.poller.spinMicros=N} to measure the poller's look before sleeping.
 */
public final class HandOffProfile {
    private HandOffProfile() {
    }

    public static void main(String[] arguments) throws Exception {
        CacheState cache = CacheState.named(arguments[0]);
        int threads = Integer.parseInt(arguments[1]);
        int seconds = Integer.parseInt(arguments[2]);
        try (FileReads reads = FileReads.open(Contender.RINGPARK, Contender.PROBE, cache, 1024, 4096, threads, true)) {
            run(reads, seconds); // warm-up: JIT, buffers, io-wq
            RingparkStatistics before = Ringpark.statistics();
            long cpuBefore = ProcessCpu.nanos();
            long started = System.nanoTime();
            long done = run(reads, seconds);
            long elapsed = System.nanoTime() - started;
            long cpu = ProcessCpu.nanos() - cpuBefore;
            RingparkStatistics after = Ringpark.statistics();
            System.out.println(report(cache, threads, done, elapsed, cpu, before, after));
        }
    }

    private static long run(FileReads reads, int seconds) throws IOException, InterruptedException {
        Load load = reads.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long done = 0;
        while (System.nanoTime() < end) {
            done += load.awaitProgress().operations();
        }
        load.stop();
        return done + load.progress().operations();
    }

    private static String report(CacheState cache, int threads, long reads, long elapsedNanos, long cpuNanos,
                                 RingparkStatistics before, RingparkStatistics after) {
        double perRead = reads;
        return String.format(Locale.ROOT, "%s, %d threads, driver %s: %d reads in %.1f s = %.0f reads/s, %.1f µs per read"
                        + " end to end per thread, %.2f µs CPU per read%n"
                        + "per read: %.3f ring system calls (%.2f submissions each), %.3f poller sleeps,"
                        + " %.3f wake-up signals, %.3f reads through the poller, %.3f page-cache hits, %.3f misses,"
                        + " %.3f buffers lent",
                cache.name().toLowerCase(Locale.ROOT), threads, after.driver(), reads, elapsedNanos / 1e9,
                reads / (elapsedNanos / 1e9), elapsedNanos / 1e3 * threads / reads, cpuNanos / 1e3 / reads,
                (after.kernelCalls() - before.kernelCalls()) / perRead,
                (double) (after.kernelSubmissions() - before.kernelSubmissions())
                        / Math.max(1, after.kernelCalls() - before.kernelCalls()),
                (after.pollerSleeps() - before.pollerSleeps()) / perRead,
                (after.wakeupSignals() - before.wakeupSignals()) / perRead,
                (after.completed().get("read") - before.completed().get("read")) / perRead,
                (after.cachedReads() - before.cachedReads()) / perRead,
                (after.cachedReadMisses() - before.cachedReadMisses()) / perRead,
                (after.buffersLent() - before.buffersLent()) / perRead);
    }
}
