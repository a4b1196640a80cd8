package dev.ringpark.benchmarks;

import dev.ringpark.RingFileChannel;
import dev.ringpark.RingOpenOption;

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
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.TimeUnit;

/**
 * A structured-concurrency scope's shutdown (issue 13's first goal: under 50 ms on io_uring with
 * 1,000 subtasks): the time from a {@link StructuredTaskScope}'s cancellation to every one of its
 * subtasks done, when {@code subtasks} of them are blocked in reads.
 *
 * <h2>What it measures</h2>
 * Each invocation opens a scope, forks {@code subtasks} readers and one more subtask that, once
 * every reader has started and had time to block ({@value #SETTLE_MILLIS} ms), notes the time and
 * fails, which cancels the scope: every reader's thread is interrupted. The scope's
 * {@code close()} returns once every subtask is done. Secondary results:
 * <ul>
 *   <li>{@code shutdown:shutdownMillis}: from the cancellation to {@code close()} returning, the
 *       mean over the measured invocations (the figure of the goal);</li>
 *   <li>{@code shutdown:maxShutdownMillis}: the longest of them.</li>
 * </ul>
 * The primary score is the whole invocation (forks, settling, shutdown): not the figure to read.
 *
 * <h2>Parameters</h2>
 * <ul>
 *   <li>{@code blockedOn}: {@code fifo}, each reader blocked reading a FIFO nobody writes through a
 *       channel of its own (reads that never complete); {@code cold}, every reader reading random
 *       4 KiB blocks of the {@code fileSizeMiB} shared file, dropped from the page cache before the
 *       invocation, through one channel (reads the device is working on: those the kernel has started
 *       cannot be cancelled and finish, so this is bounded by the device's latency).</li>
 *   <li>{@code interrupts}: {@code close}, {@code FileChannel}'s contract (an interrupt closes the
 *       channel); {@code cancel}, {@link RingOpenOption#INTERRUPT_CANCELS_CALL}.</li>
 *   <li>{@code driver}: Ringpark's driver, forced through {@code ringpark.driver}.</li>
 * </ul>
 * The JDK's {@code FileChannel} is not a contender: an interrupted virtual thread blocked in a FIFO
 * read of JDK 25 is never woken (see {@code shared/FACTS.md}).
 *
 * <h2>How to run</h2>
 * From a directory on a disk, on a quiet machine; needs {@code --enable-preview} in the forks (set
 * here) for the preview API:
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ScopeShutdownBenchmark
 * java -jar benchmarks/target/benchmarks.jar ScopeShutdownBenchmark -p driver=io_uring -p blockedOn=fifo
 * </pre>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--enable-preview"})
@Warmup(iterations = 5)
@Measurement(iterations = 20)
@Threads(1) // the JMH thread owns the scope; the subtasks are the concurrency
@State(Scope.Benchmark)
public class ScopeShutdownBenchmark {
    /** How long the readers get to block once all have started, before the scope is cancelled. */
    static final long SETTLE_MILLIS = 100;
    private static final int BLOCK_BYTES = 4096;

    /** Ringpark's driver: {@code io_uring}, {@code aio} or {@code threads}. */
    @Param({"io_uring", "aio", "threads"})
    public String driver;

    /** What the readers are blocked on: {@code fifo} or {@code cold}. */
    @Param({"fifo", "cold"})
    public String blockedOn;

    /** What an interrupt does: {@code close} (FileChannel's contract) or {@code cancel} (INTERRUPT_CANCELS_CALL). */
    @Param({"close", "cancel"})
    public String interrupts;

    /** The subtasks blocked in reads when the scope is cancelled. */
    @Param("1000")
    public int subtasks;

    /** The size of the shared file the {@code cold} readers read, in MiB. */
    @Param("1024")
    public int fileSizeMiB;

    private Fifos fifos;
    private Path file;
    private final List<RingFileChannel> channels = new ArrayList<>();

    /** Reports the shutdown times: see the class documentation. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Shutdown {
        private final EventShare mean = new EventShare(EventShare.Summary.MEAN);
        private final EventShare peak = new EventShare(EventShare.Summary.PEAK);
        private double millis;
        private double reportedMean;
        private double reportedPeak;

        /** Starts an iteration (one invocation in this mode). */
        @Setup(Level.Iteration)
        public void startIteration(BenchmarkParams benchmark, IterationParams iteration) {
            mean.startIteration(benchmark, iteration);
            peak.startIteration(benchmark, iteration);
            millis = 0;
        }

        /** Works out what to report. */
        @TearDown(Level.Iteration)
        public void stopIteration() {
            reportedMean = mean.share(millis);
            reportedPeak = peak.share(millis);
        }

        /** The counter {@code shutdownMillis}. */
        public double shutdownMillis() {
            return reportedMean;
        }

        /** The counter {@code maxShutdownMillis}. */
        public double maxShutdownMillis() {
            return reportedPeak;
        }

        void record(long nanos) {
            millis = nanos / 1e6;
        }
    }

    /** Forces the driver and makes what the readers block on. */
    @Setup(Level.Trial)
    public void prepare() throws IOException, InterruptedException {
        Contender.useDriver(driver);
        switch (blockedOn) {
            case "fifo" -> fifos = Fifos.make(1);
            case "cold" -> file = BenchmarkFile.shared(fileSizeMiB);
            default -> throw new IllegalArgumentException("blockedOn must be fifo or cold, was: " + blockedOn);
        }
    }

    /** Opens the channels (a close policy's interrupt closes them), and drops the file for cold reads. */
    @Setup(Level.Iteration)
    public void open() throws IOException {
        OpenOption[] options = switch (interrupts) {
            case "close" -> new OpenOption[] {StandardOpenOption.READ};
            case "cancel" -> new OpenOption[] {StandardOpenOption.READ, RingOpenOption.INTERRUPT_CANCELS_CALL};
            default -> throw new IllegalArgumentException("interrupts must be close or cancel, was: " + interrupts);
        };
        if (fifos != null) {
            for (int reader = 0; reader < subtasks; reader++) {
                channels.add(RingFileChannel.open(fifos.get(0), options));
            }
        } else {
            PageCache.drop(file);
            channels.add(RingFileChannel.open(file, options));
        }
    }

    /** One scope: the readers block, the scope is cancelled, every subtask ends. */
    @Benchmark
    public void shutdown(Shutdown shutdown) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(subtasks);
        long[] cancelledAt = new long[1];
        try (var scope = StructuredTaskScope.open(Joiner.<Object>awaitAllSuccessfulOrThrow())) {
            for (int reader = 0; reader < subtasks; reader++) {
                int number = reader;
                scope.fork(() -> {
                    started.countDown();
                    read(number);
                    return null;
                });
            }
            scope.fork(() -> {
                started.await();
                Thread.sleep(SETTLE_MILLIS);
                cancelledAt[0] = System.nanoTime(); // read by the owner after join, which follows this subtask
                throw new CancellationRequested();
            });
            scope.join();
            throw new IllegalStateException("a reader completed: nothing should have been read");
        } catch (StructuredTaskScope.FailedException expected) {
            if (!(expected.getCause() instanceof CancellationRequested)) {
                throw new IllegalStateException("a subtask failed before the cancellation", expected.getCause());
            }
        }
        shutdown.record(System.nanoTime() - cancelledAt[0]);
    }

    /** What the cancelling subtask throws. */
    static final class CancellationRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CancellationRequested() {
            super("cancel the scope", null, false, false);
        }
    }

    /** A reader: blocks on its FIFO, or reads random cold blocks until interrupted; ends by throwing. */
    private void read(int number) throws IOException {
        if (fifos != null) {
            channels.get(number).read(ByteBuffer.allocate(1));
            return;
        }
        RingFileChannel channel = channels.getFirst();
        ByteBuffer buffer = ByteBuffer.allocate(BLOCK_BYTES);
        SplittableRandom random = new SplittableRandom(number);
        long blocks = fileSizeMiB * (1L << 20) / BLOCK_BYTES;
        for (;;) {
            if (channel.read(buffer.clear(), random.nextLong(blocks) * BLOCK_BYTES) < 0) {
                throw new IOException("end of file inside the file");
            }
            // A read the page cache answers never parks, and virtual threads are not time-sliced: once
            // blocks repeat (a small file), readers in this loop would hold both carriers for good and
            // the subtask that cancels the scope would never run (seen with a 64 MiB file).
            Thread.yield();
        }
    }

    /** Closes the channels. */
    @TearDown(Level.Iteration)
    public void close() throws IOException {
        for (RingFileChannel channel : channels) {
            channel.close();
        }
        channels.clear();
    }

    /** Removes the FIFOs. */
    @TearDown(Level.Trial)
    public void removeFifos() throws IOException {
        if (fifos != null) {
            fifos.close();
        }
    }
}
