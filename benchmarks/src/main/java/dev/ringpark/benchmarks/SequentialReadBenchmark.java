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
 * Sequential reads of large blocks through each {@link Contender}, cold or {@code O_DIRECT}
 * (workload 4 of {@code docs/BENCHMARKS.md}): the bandwidth to compare with fio's.
 *
 * <h2>What it measures</h2>
 * {@code threads} virtual threads take the next {@code blockBytes} block of the file from a
 * shared cursor and read it, without pause, so that the reads in flight are always the next
 * {@code threads} blocks of the file (as fio's {@code rw=read} keeps {@code iodepth} of them). At the
 * end of the file they start over, cold runs dropping the file from the cache first (see
 * {@link FileReads}). Secondary results: {@code sequentialReads:reads} (blocks per second; bytes
 * per second is that times {@code blockBytes}), {@code cpuMicrosPerOp} and {@code peakOsThreads}.
 *
 * <h2>Parameters</h2>
 * As in {@link RandomReadBenchmark}: {@code contender}, {@code driver}, {@code cache}
 * ({@code cold} or {@code direct}; {@code hot} works too), {@code threads} (reads in flight),
 * {@code blockBytes}, {@code fileSizeMiB}.
 *
 * <h2>How to run</h2>
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SequentialReadBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 1, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1) // the JMH thread only watches; the virtual threads are the concurrency
@State(Scope.Benchmark)
public class SequentialReadBenchmark {
    /** How the reads are made: {@code jdk}, {@code pool}, {@code async} or {@code ringpark}. */
    @Param({"jdk", "pool", "async", "ringpark"})
    public String contender;

    /** Ringpark's driver: {@code io_uring}, {@code aio} or {@code threads}. */
    @Param("io_uring")
    public String driver;

    /** The page cache's state and the open mode: {@code cold} or {@code direct}. */
    @Param({"cold", "direct"})
    public String cache;

    /** The virtual threads that read at once: the reads in flight. */
    @Param("8")
    public int threads;

    /** The bytes of each read. */
    @Param("1048576")
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
                threads, false);
    }

    /** Puts the page cache in its state and starts the readers at the start of the file. */
    @Setup(Level.Iteration)
    public void startReaders() throws IOException {
        readers = reads.start();
    }

    /** Takes the reads completed over one sample period. */
    @Benchmark
    public void sequentialReads(ReadCounter counter, ResourceUse resources) throws IOException, InterruptedException {
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
