package dev.ringpark.benchmarks;

import dev.ringpark.RingFileChannel;

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
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What a deadline costs when it never fires (issue 13's third goal: no cost when no deadline is
 * given): {@link RandomReadBenchmark}'s 4 KiB random reads through Ringpark, made with
 * {@link RingFileChannel#read(ByteBuffer, long)} ({@code deadline=none}, the path every existing
 * benchmark takes) or with {@link RingFileChannel#read(ByteBuffer, long, Duration)} and a deadline
 * far beyond any read ({@code deadline=far}: on io_uring each read is linked to a timeout the kernel
 * arms and disarms; on the other drivers the caller parks with a timeout).
 *
 * <h2>What it measures</h2>
 * As {@link FileReadBenchmark}: {@code reads:reads} (reads per second), {@code reads:cpuMicrosPerOp}
 * and {@code reads:peakOsThreads}. The goal compares {@code deadline=none} with the O_DIRECT and
 * cold figures of {@code RandomReadBenchmark} measured before deadlines existed, within their
 * spread; {@code far} says what a caller pays for asking for one.
 *
 * <h2>How to run</h2>
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar DeadlineCostBenchmark
 * java -jar benchmarks/target/benchmarks.jar DeadlineCostBenchmark -p driver=io_uring,aio,threads -p cache=direct
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 1, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1) // the JMH thread only watches; the virtual threads are the concurrency
@State(Scope.Benchmark)
public class DeadlineCostBenchmark {
    /** A deadline no read reaches. */
    static final Duration FAR = Duration.ofSeconds(10);

    /** {@code none}: the reads without a deadline; {@code far}: each with a deadline it never reaches. */
    @Param({"none", "far"})
    public String deadline;

    /** The page cache's state and the open mode: {@code cold} or {@code direct} (see {@link CacheState}). */
    @Param({"direct", "cold"})
    public String cache;

    /** Ringpark's driver: {@code io_uring}, {@code aio} or {@code threads}. */
    @Param("io_uring")
    public String driver;

    /** The virtual threads that read at once. */
    @Param("256")
    public int threads;

    /** The file's size in MiB. */
    @Param("1024")
    public int fileSizeMiB;

    private FileReads reads;
    private Load readers;

    /** Opens the shared file through Ringpark, with or without deadlines. */
    @Setup(Level.Trial)
    public void open() throws IOException {
        Contender.useDriver(driver);
        CacheState state = CacheState.named(cache);
        boolean withDeadline = switch (deadline) {
            case "none" -> false;
            case "far" -> true;
            default -> throw new IllegalArgumentException("deadline must be none or far, was: " + deadline);
        };
        reads = FileReads.open(file -> new TimedFile(RingFileChannel.open(file, state.openOptions()), withDeadline),
                state, fileSizeMiB, 4096, threads, true);
    }

    /** Puts the page cache in its state and starts the readers, right before the iteration. */
    @Setup(Level.Iteration)
    public void startReaders() throws IOException {
        readers = reads.start();
    }

    /** Takes the reads completed over one sample period. */
    @Benchmark
    public void reads(ReadCounter counter, ResourceUse resources) throws IOException, InterruptedException {
        Load.Progress progress = readers.awaitProgress();
        counter.reads += progress.operations();
        resources.add(progress);
    }

    /** Stops the readers after the iteration. */
    @TearDown(Level.Iteration)
    public void stopReaders() throws IOException, InterruptedException {
        readers.stop();
    }

    /** Closes the channel and frees the buffers. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        reads.close();
    }

    /** A Ringpark channel read with or without a deadline; it only reads. */
    private record TimedFile(RingFileChannel channel, boolean withDeadline) implements BlockingFile {
        @Override
        public int read(ByteBuffer destination, long position) throws IOException {
            return withDeadline ? channel.read(destination, position, FAR) : channel.read(destination, position);
        }

        @Override
        public int write(ByteBuffer source, long position) {
            throw new UnsupportedOperationException("this benchmark only reads");
        }

        @Override
        public void forceData() {
            throw new UnsupportedOperationException("this benchmark only reads");
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
