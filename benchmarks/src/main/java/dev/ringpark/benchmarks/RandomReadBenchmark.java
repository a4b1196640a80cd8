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
 * Random reads of one file shared by many virtual threads, through each {@link Contender}, with
 * the page cache cold, hot or bypassed (workloads 1, 2, 3 and 7 of {@code docs/BENCHMARKS.md}).
 *
 * <h2>What it measures</h2>
 * {@code threads} virtual threads read {@code blockBytes} blocks of a {@code fileSizeMiB} file
 * without pause, each into a direct buffer of its own (see {@link FileReads} for the order and
 * {@link Load} for how the JMH thread watches them). The results to read are the secondary ones:
 * <ul>
 *   <li>{@code randomReads:reads}: reads per second (the primary score counts 10 ms samples);</li>
 *   <li>{@code randomReads:cpuMicrosPerOp}: the process's CPU time per read;</li>
 *   <li>{@code randomReads:peakOsThreads}: the most OS threads the JVM had.</li>
 * </ul>
 *
 * <h2>Parameters</h2>
 * <ul>
 *   <li>{@code contender}: {@code jdk}, {@code pool}, {@code async} or {@code ringpark} (see
 *       {@link Contender}).</li>
 *   <li>{@code driver}: Ringpark's driver, forced through {@code ringpark.driver}; the fork prints
 *       the one in use. Ignored by the JDK's contenders.</li>
 *   <li>{@code cache}: {@code cold}, {@code hot} or {@code direct} (see {@link CacheState}).</li>
 *   <li>{@code threads}: the virtual threads reading at once.</li>
 *   <li>{@code blockBytes}: the size of each read.</li>
 *   <li>{@code fileSizeMiB}: the file's size; it is created in the working directory (which must
 *       be on a disk) by the first fork that needs it, and kept.</li>
 * </ul>
 *
 * <h2>How to run</h2>
 * {@code benchmarks/run-benchmarks.sh} runs this with the others, fio beside them, and writes the
 * tables and charts. By hand, from a directory on a disk:
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar RandomReadBenchmark -p cache=cold -p contender=jdk,ringpark
 * java -jar benchmarks/target/benchmarks.jar RandomReadBenchmark -p cache=direct -p threads=1,32,256
 * </pre>
 * Each parameter combination runs in a fork of its own (one warm-up and three measured iterations
 * of 2 s, about 10 s with the start).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 1, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1) // the JMH thread only watches; the virtual threads are the concurrency
@State(Scope.Benchmark)
public class RandomReadBenchmark {
    /** How the reads are made: {@code jdk}, {@code pool}, {@code async} or {@code ringpark}. */
    @Param({"jdk", "pool", "async", "ringpark"})
    public String contender;

    /** Ringpark's driver: {@code io_uring}, {@code aio} or {@code threads}. */
    @Param("io_uring")
    public String driver;

    /** The page cache's state and the open mode: {@code cold}, {@code hot} or {@code direct}. */
    @Param({"cold", "hot", "direct"})
    public String cache;

    /** The virtual threads that read at once. */
    @Param("256")
    public int threads;

    /** The bytes of each read. */
    @Param("4096")
    public int blockBytes;

    /** The file's size in MiB. */
    @Param("1024")
    public int fileSizeMiB;

    private FileReads reads;
    private Load readers;

    /** Opens the shared file through the contender and allocates each reader's buffer. */
    @Setup(Level.Trial)
    public void open() throws IOException {
        reads = FileReads.open(Contender.named(contender), driver, CacheState.named(cache), fileSizeMiB, blockBytes,
                threads, true);
    }

    /** Puts the page cache in its state and starts the readers, right before the iteration. */
    @Setup(Level.Iteration)
    public void startReaders() throws IOException {
        readers = reads.start();
    }

    /** Takes the reads completed over one sample period. */
    @Benchmark
    public void randomReads(ReadCounter counter, ResourceUse resources) throws IOException, InterruptedException {
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
