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
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code Files.newInputStream(file).transferTo(out)} of a whole {@code fileSizeMiB} file, as a server
 * that streams a file to a client does: {@code threads} virtual threads each stream the file from
 * its start to its end, again and again, into an output stream that drops the bytes (as
 * {@code OutputStream.nullOutputStream()} does, and counts them). The goal of issue 12: with the
 * provider, at least 0.95 times the JDK's bytes per second hot and 1.0 times cold, with 1 and 16
 * threads.
 *
 * <p>Cold: the file is dropped from the page cache before the iteration, and again by each thread
 * before each of its passes but the first (with 16 threads on one file, a thread may find blocks
 * another has just read). Hot: the file is read once before the iteration.
 *
 * <p>Secondary results: {@code mebibytes:mebibytes} (MiB streamed per second), {@code cpuMicrosPerOp}
 * (CPU time per MiB) and {@code peakOsThreads}.
 *
 * <h2>How to run</h2>
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ProviderStreamTransferBenchmark
 * </pre>
 * See {@link ProviderContender} to run Ringpark's side with the provider installed as the default.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 1, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1) // the JMH thread only watches; the virtual threads are the concurrency
@State(Scope.Benchmark)
public class ProviderStreamTransferBenchmark {
    /** Whose {@code Files.newInputStream}: {@code jdk} or {@code ringpark} (see {@link ProviderContender}). */
    @Param({"jdk", "ringpark"})
    public String contender;

    /** Ringpark's driver: {@code io_uring}, {@code aio} or {@code threads}. */
    @Param("io_uring")
    public String driver;

    /** The page cache's state: {@code hot} or {@code cold}. */
    @Param({"hot", "cold"})
    public String cache;

    /** The virtual threads streaming the file at once. */
    @Param({"1", "16"})
    public int threads;

    /** The file's size in MiB; see {@link BenchmarkFile#shared}. */
    @Param("1024")
    public int fileSizeMiB;

    private Path platformFile;
    private Path file;
    private CacheState cacheState;
    private Transfers streamed;

    /** Finds (or makes) the shared file and the contender's path to it. */
    @Setup(Level.Trial)
    public void prepareFile() throws IOException {
        ProviderContender chosen = ProviderContender.named(contender);
        cacheState = CacheState.named(cache);
        if (cacheState == CacheState.DIRECT) {
            throw new IllegalArgumentException("a stream has no O_DIRECT: cache must be hot or cold");
        }
        platformFile = BenchmarkFile.shared(fileSizeMiB);
        chosen.prepare(driver, platformFile);
        file = chosen.path(platformFile);
    }

    /** Puts the page cache in its state and starts the streams, right before the iteration. */
    @Setup(Level.Iteration)
    public void startStreams() throws IOException {
        cacheState.prepare(platformFile);
        streamed = Transfers.start(threads, (pass, counted) -> {
            if (pass > 0) {
                cacheState.restart(platformFile);
            }
            try (InputStream in = Files.newInputStream(file)) {
                in.transferTo(counted);
            }
        });
    }

    /** Takes the MiB streamed over one sample period. */
    @Benchmark
    public void mebibytes(ByteCounter counter, ResourceUse resources) throws IOException, InterruptedException {
        streamed.sample(counter, resources);
    }

    /** Stops the streams after the iteration. */
    @TearDown(Level.Iteration)
    public void stopStreams() throws IOException, InterruptedException {
        streamed.stop();
    }
}
