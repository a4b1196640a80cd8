package dev.ringpark.benchmarks;

import dev.ringpark.poller.Nop;
import dev.ringpark.poller.Poller;
import dev.ringpark.poller.ladder.DriverLadder;

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

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The ceiling of one poller: {@code threads} virtual threads each hand over operations that ask the
 * kernel for nothing ({@code IORING_OP_NOP}), one after the other, through the whole hand-off
 * (queue, wake-up, slot, submission, completion, unpark, resumption). What it sustains, and the CPU
 * each costs, bound what any workload can get through one poller on this machine.
 *
 * <p>A poller of the benchmark's own, on the driver {@code driver} names, with the library's
 * default sizes. Secondary results: {@code handOff:operations} per second, {@code cpuMicrosPerOp},
 * {@code peakOsThreads}.
 *
 * <h2>How to run</h2>
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar PollerCeilingBenchmark -p threads=1,16,256,1024
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 1, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1) // the JMH thread only watches; the virtual threads are the concurrency
@State(Scope.Benchmark)
public class PollerCeilingBenchmark {
    /**
     * The poller's driver: {@code io_uring}, {@code aio} or {@code threads}, or {@code probe} for the
     * first that works here.
     */
    @Param("io_uring")
    public String driver;

    /** How long the poller looks for the next hand-off before it sleeps ({@code ringpark.poller.spinMicros}). */
    @Param("0")
    public int spinMicros;

    /** The virtual threads handing over operations at once. */
    @Param({"1", "16", "256", "1024"})
    public int threads;

    private Poller poller;
    private Load callers;

    /** Reports, as the secondary result {@code operations}, the hand-offs completed per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class OperationCounter {
        /** Operations handed over and completed in this iteration so far. */
        public long operations;
    }

    /** Starts the poller. */
    @Setup(Level.Trial)
    public void startPoller() throws IOException {
        DriverLadder.Settings settings = new DriverLadder.Settings(1024, 16, 0);
        DriverLadder ladder = driver.equals("probe") ? DriverLadder.probing(settings)
                : DriverLadder.forced(DriverLadder.Rung.labelled(driver), settings);
        poller = Poller.start("ringpark-ceiling", ladder, TimeUnit.MICROSECONDS.toNanos(spinMicros));
    }

    /** Starts the callers, right before the iteration. */
    @Setup(Level.Iteration)
    public void startCallers() {
        callers = Load.start(threads, caller -> {
            int result = poller.execute(new Nop());
            if (result != 0) {
                throw new IOException("a NOP answered " + result);
            }
        });
    }

    /** Takes the operations done over one sample period. */
    @Benchmark
    public void handOff(OperationCounter counter, ResourceUse resources) throws IOException, InterruptedException {
        Load.Progress progress = callers.awaitProgress();
        counter.operations += progress.operations();
        resources.add(progress);
    }

    /** Stops the callers after the iteration. */
    @TearDown(Level.Iteration)
    public void stopCallers() throws IOException, InterruptedException {
        callers.stop();
    }
}
