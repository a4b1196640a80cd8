package dev.ringpark.benchmarks;

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
 * What {@link RandomReadBenchmark} and {@link SequentialReadBenchmark} share: the knobs, the
 * contender parameters, and the run itself. Each subclass names its cache states, concurrency and
 * block size as parameters of its own (their defaults differ) and its order of blocks.
 *
 * <h2>What it measures</h2>
 * The subclass's {@code threads} virtual threads read {@code blockBytes} blocks of a
 * {@code fileSizeMiB} file without pause, each into a direct buffer of its own (see
 * {@link FileReads} for the order and the cache, {@link Load} for how the JMH thread watches them).
 * The results to read are the secondary ones:
 * <ul>
 *   <li>{@code reads:reads}: reads per second (the primary score counts 10 ms samples);</li>
 *   <li>{@code reads:cpuMicrosPerOp}: the process's CPU time per read;</li>
 *   <li>{@code reads:peakOsThreads}: the most OS threads the JVM had.</li>
 * </ul>
 *
 * <h2>Parameters</h2>
 * <ul>
 *   <li>{@code contender}: {@code jdk}, {@code pool}, {@code async} or {@code ringpark} (see
 *       {@link Contender}).</li>
 *   <li>{@code driver}: Ringpark's driver, forced through {@code ringpark.driver} ({@code probe}
 *       forces none); the fork prints the one in use. Ignored by the JDK's contenders.</li>
 *   <li>{@code fileSizeMiB}: the file's size; it is created in the working directory (which must
 *       be on a disk) by the first fork that needs it, and kept.</li>
 * </ul>
 * Each parameter combination runs in a fork of its own: one warm-up and three measured iterations
 * of 2 s, about 10 s with the start. {@code benchmarks/run-benchmarks.sh} runs them all with fio
 * beside them and writes the tables and charts.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 1, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1) // the JMH thread only watches; the virtual threads are the concurrency
@State(Scope.Benchmark)
public abstract class FileReadBenchmark {
    /** How the reads are made: {@code jdk}, {@code pool}, {@code async} or {@code ringpark}. */
    @Param({"jdk", "pool", "async", "ringpark"})
    public String contender;

    /** Ringpark's driver: {@code io_uring}, {@code aio} or {@code threads}. */
    @Param("io_uring")
    public String driver;

    /** The file's size in MiB. */
    @Param("1024")
    public int fileSizeMiB;

    private FileReads reads;
    private Load readers;

    /** The page cache's state and the open mode the subclass's {@code cache} parameter names. */
    abstract CacheState cacheState();

    /** The virtual threads that read at once: the subclass's {@code threads} parameter. */
    abstract int readers();

    /** The bytes of each read: the subclass's {@code blockBytes} parameter. */
    abstract int blockBytes();

    /** Whether the blocks are read in a shuffled order (random reads) or in the file's (sequential). */
    abstract boolean shuffled();

    /** Opens the shared file through the contender and allocates each reader's buffer. */
    @Setup(Level.Trial)
    public void open() throws IOException {
        reads = FileReads.open(Contender.named(contender), driver, cacheState(), fileSizeMiB, blockBytes(), readers(),
                shuffled());
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
}
