package dev.ringpark.benchmarks;

import dev.ringpark.RingFileChannel;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How late a deadline ends a call (issue 13's second goal: under 2 ms at the 99th percentile with
 * 256 concurrent deadline-bound reads): the time from a read's deadline to the read's return.
 *
 * <h2>What it measures</h2>
 * {@code threads} virtual threads each read a FIFO of its own that nobody writes, with a deadline
 * of {@code deadlineMillis}, again and again: every read times out, and each records how long
 * after its deadline it returned ({@link InterruptedByTimeoutException}). Secondary results, over
 * each iteration's timeouts, then averaged over the iterations (see {@link EventShare}):
 * <ul>
 *   <li>{@code timeouts:timeouts}: calls timed out per second;</li>
 *   <li>{@code overshoot:p50Micros}, {@code overshoot:p99Micros}, {@code overshoot:maxMicros}: the
 *       overshoot's median, 99th percentile (the figure of the goal) and maximum, in microseconds,
 *       from a histogram of {@value #BUCKET_MICROS} us buckets (the maximum is exact).</li>
 * </ul>
 * On io_uring the kernel times each read out (a linked timeout), on the other drivers the waiting
 * caller cancels it at its deadline; either way the overshoot includes the cancellation, the
 * completion, the hand-back and the caller's wake-up.
 *
 * <h2>How to run</h2>
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar DeadlineOvershootBenchmark
 * java -jar benchmarks/target/benchmarks.jar DeadlineOvershootBenchmark -p driver=io_uring -p deadlineMillis=1,5
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 1, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1) // the JMH thread only watches; the virtual threads are the concurrency
@State(Scope.Benchmark)
public class DeadlineOvershootBenchmark {
    /** The width of a histogram bucket. */
    static final int BUCKET_MICROS = 10;
    /** Buckets up to 100 ms; later returns fall in the last one (and the exact maximum). */
    private static final int BUCKETS = 10_000;

    /** Ringpark's driver: {@code io_uring}, {@code aio} or {@code threads}. */
    @Param({"io_uring", "aio", "threads"})
    public String driver;

    /** The concurrent deadline-bound reads. */
    @Param("256")
    public int threads;

    /** Each read's deadline, from its start. */
    @Param("5")
    public int deadlineMillis;

    private Fifos fifos;
    private RingFileChannel[] channels;
    private ByteBuffer[] buffers;
    private Load readers;
    /** This iteration's overshoots, by bucket; the callers add to it, the JMH thread reads it. */
    private volatile AtomicLongArray histogram;
    private final AtomicLong maxNanos = new AtomicLong();

    /** Reports, as the secondary result {@code timeouts}, the calls timed out per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class TimeoutCounter {
        /** Calls timed out in this iteration so far. */
        public long timeouts;
    }

    /** Reports the overshoot's percentiles: see the class documentation. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Overshoot {
        private final EventShare p50 = new EventShare(EventShare.Summary.MEAN);
        private final EventShare p99 = new EventShare(EventShare.Summary.MEAN);
        private final EventShare max = new EventShare(EventShare.Summary.MEAN);
        private double reportedP50;
        private double reportedP99;
        private double reportedMax;

        /** Starts an iteration's count. */
        @Setup(Level.Iteration)
        public void startIteration(BenchmarkParams benchmark, IterationParams iteration) {
            p50.startIteration(benchmark, iteration);
            p99.startIteration(benchmark, iteration);
            max.startIteration(benchmark, iteration);
        }

        /** The counter {@code p50Micros}. */
        public double p50Micros() {
            return reportedP50;
        }

        /** The counter {@code p99Micros}. */
        public double p99Micros() {
            return reportedP99;
        }

        /** The counter {@code maxMicros}. */
        public double maxMicros() {
            return reportedMax;
        }

        /** The figures so far in this iteration: the last call before the iteration ends stands. */
        void update(AtomicLongArray histogram, long maxNanos) {
            reportedP50 = p50.share(percentile(histogram, 0.50));
            reportedP99 = p99.share(percentile(histogram, 0.99));
            reportedMax = max.share(maxNanos / 1e3);
        }
    }

    /** Forces the driver, makes a FIFO per reader and opens a channel on each. */
    @Setup(Level.Trial)
    public void open() throws IOException, InterruptedException {
        Contender.useDriver(driver);
        fifos = Fifos.make(threads);
        channels = new RingFileChannel[threads];
        buffers = new ByteBuffer[threads];
        for (int reader = 0; reader < threads; reader++) {
            channels[reader] = RingFileChannel.open(fifos.get(reader), StandardOpenOption.READ);
            buffers[reader] = ByteBuffer.allocateDirect(16);
        }
    }

    /** Starts the readers with a fresh histogram, right before the iteration. */
    @Setup(Level.Iteration)
    public void startReaders() {
        histogram = new AtomicLongArray(BUCKETS);
        maxNanos.set(0);
        readers = Load.start(threads, this::readPastDeadline);
    }

    /** Takes the timeouts of one sample period and the overshoot so far. */
    @Benchmark
    public void timeouts(TimeoutCounter counter, Overshoot overshoot) throws IOException, InterruptedException {
        counter.timeouts += readers.awaitProgress().operations();
        overshoot.update(histogram, maxNanos.get());
    }

    /** Stops the readers after the iteration. */
    @TearDown(Level.Iteration)
    public void stopReaders() throws IOException, InterruptedException {
        readers.stop();
    }

    /** Closes the channels and removes the FIFOs. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        for (RingFileChannel channel : channels) {
            channel.close();
        }
        fifos.close();
    }

    /** One read that times out; records by how much its return overshot the deadline. */
    private void readPastDeadline(int reader) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
        try {
            channels[reader].read(buffers[reader].clear(), Duration.ofMillis(deadlineMillis));
            throw new IOException("a read of a FIFO nobody writes returned");
        } catch (InterruptedByTimeoutException expected) {
            long overshoot = System.nanoTime() - deadline;
            histogram.incrementAndGet(Math.clamp(overshoot / 1_000 / BUCKET_MICROS, 0, BUCKETS - 1));
            maxNanos.accumulateAndGet(overshoot, Math::max);
        }
    }

    /** The {@code fraction} percentile of {@code histogram}, in microseconds (a bucket's upper bound). */
    static double percentile(AtomicLongArray histogram, double fraction) {
        long total = 0;
        for (int bucket = 0; bucket < histogram.length(); bucket++) {
            total += histogram.get(bucket);
        }
        if (total == 0) {
            return Double.NaN;
        }
        long wanted = (long) Math.ceil(total * fraction);
        long seen = 0;
        for (int bucket = 0; bucket < histogram.length(); bucket++) {
            seen += histogram.get(bucket);
            if (seen >= wanted) {
                return (bucket + 1) * (double) BUCKET_MICROS;
            }
        }
        return histogram.length() * (double) BUCKET_MICROS;
    }
}
