package dev.ringpark.benchmarks;

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
import java.util.concurrent.TimeUnit;

/**
 * Fairness (workload 6 of {@code docs/BENCHMARKS.md}): how CPU-bound virtual threads fare beside
 * many virtual threads doing {@code O_DIRECT} reads, against the same CPU-bound work alone.
 *
 * <h2>What it measures</h2>
 * In the background, {@code threads} virtual threads read random 4 KiB blocks of the shared file
 * with {@code O_DIRECT} through the contender, without pause ({@code none}: no readers, the solo
 * baseline). Each invocation starts {@code workers} virtual threads that each do a fixed amount
 * of arithmetic (about 2 ms on one core here) and waits for them. Secondary results:
 * <ul>
 *   <li>{@code cpuTasks:tasks}: CPU-bound tasks completed per second, to divide by the solo figure;</li>
 *   <li>{@code cpuTasks:maxStartDelayMillis}: the longest wait of a task between
 *       {@code Thread.start} and its first instruction, over the measurement;</li>
 *   <li>{@code cpuTasks:reads}: the background readers' reads per second;</li>
 *   <li>{@code cpuMicrosPerOp} (process CPU per task, the readers' share included) and
 *       {@code peakOsThreads}.</li>
 * </ul>
 * The JDK pins a carrier per blocked reader and compensates with more carriers, which the
 * CPU-bound threads then share the cores with; Ringpark's readers park.
 *
 * <h2>How to run</h2>
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar FairnessBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 1, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1) // the JMH thread starts the CPU-bound virtual threads
@State(Scope.Benchmark)
public class FairnessBenchmark {
    /** Rounds of arithmetic per task: about 2 ms on one core of this project's 2-vCPU machine. */
    private static final int TASK_ROUNDS = 1_000_000;
    private static final int BLOCK_BYTES = 4096;

    /** Who reads in the background: {@code none}, {@code jdk}, {@code pool}, {@code async} or {@code ringpark}. */
    @Param({"none", "jdk", "pool", "async", "ringpark"})
    public String contender;

    /** Ringpark's driver: {@code io_uring}, {@code aio} or {@code threads}. */
    @Param("io_uring")
    public String driver;

    /** The background readers. */
    @Param("256")
    public int threads;

    /** The CPU-bound virtual threads each invocation starts. */
    @Param("2")
    public int workers;

    /** The file's size in MiB. */
    @Param("1024")
    public int fileSizeMiB;

    private FileReads reads;
    private Load readers;
    /** Where the tasks leave their results, so that the arithmetic cannot be skipped. */
    private volatile long sink;

    /** Reports, as the secondary result {@code tasks}, the CPU-bound tasks completed per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class TaskCounter {
        /** Tasks completed in this iteration so far. */
        public long tasks;
    }

    /**
     * Reports, as the secondary result {@code maxStartDelayMillis}, the longest a task waited to
     * start over the measurement (see {@link EventShare}: read the total, not the iteration lines).
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class StartDelay {
        private final EventShare share = new EventShare(EventShare.Summary.PEAK);
        private long longestNanos;
        private double reported;

        /** Starts an iteration's count. */
        @Setup(Level.Iteration)
        public void startIteration(BenchmarkParams benchmark, IterationParams iteration) {
            share.startIteration(benchmark, iteration);
            longestNanos = 0;
        }

        /** Works out what to report. */
        @TearDown(Level.Iteration)
        public void stopIteration() {
            reported = share.share(longestNanos / 1e6);
        }

        /** The counter {@code maxStartDelayMillis}. */
        public double maxStartDelayMillis() {
            return reported;
        }

        void observe(long delayNanos) {
            longestNanos = Math.max(longestNanos, delayNanos);
        }
    }

    /** Opens the shared file through the contender for the background readers, unless there are none. */
    @Setup(Level.Trial)
    public void open() throws IOException {
        if (!contender.equals("none")) {
            reads = FileReads.open(Contender.named(contender), driver, CacheState.DIRECT, fileSizeMiB, BLOCK_BYTES,
                    threads, true);
        }
    }

    /** Starts the background readers, right before the iteration. */
    @Setup(Level.Iteration)
    public void startReaders() throws IOException {
        if (reads != null) {
            readers = reads.start();
        }
    }

    /** Runs {@code workers} CPU-bound tasks, each on a virtual thread of its own, and waits for them. */
    @Benchmark
    public void cpuTasks(TaskCounter tasks, StartDelay starts, ReadCounter readCounter, ResourceUse resources)
            throws IOException, InterruptedException {
        long cpuBefore = ProcessCpu.nanos();
        long[] delays = new long[workers];
        Thread[] running = new Thread[workers];
        for (int worker = 0; worker < workers; worker++) {
            int number = worker;
            long started = System.nanoTime();
            running[worker] = Thread.ofVirtual().start(() -> {
                delays[number] = System.nanoTime() - started;
                sink = arithmetic(number);
            });
        }
        for (int worker = 0; worker < workers; worker++) {
            running[worker].join(); // makes the task's write of its delay visible here
            starts.observe(delays[worker]);
        }
        tasks.tasks += workers;
        resources.add(new Load.Progress(workers, ProcessCpu.nanos() - cpuBefore));
        if (readers != null) {
            readCounter.reads += readers.progress().operations();
        }
    }

    /** Stops the background readers after the iteration. */
    @TearDown(Level.Iteration)
    public void stopReaders() throws IOException, InterruptedException {
        if (readers != null) {
            readers.stop();
        }
    }

    /** Closes the channel and frees the buffers. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        if (reads != null) {
            reads.close();
        }
    }

    /** A fixed amount of work no compiler can shorten: a chain of dependent multiply-xorshift rounds. */
    private static long arithmetic(long seed) {
        long value = seed;
        for (int round = 0; round < TASK_ROUNDS; round++) {
            value = value * 0x9E37_79B9_7F4A_7C15L + 1;
            value ^= value >>> 29;
        }
        return value;
    }
}
