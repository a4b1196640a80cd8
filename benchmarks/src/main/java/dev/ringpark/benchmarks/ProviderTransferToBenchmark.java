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
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

/**
 * {@code FileChannel.transferTo} from a {@code fileSizeMiB} file to another file, both opened with
 * {@code FileChannel.open}, as a copy does: one virtual thread copies the whole file again and again
 * (the target truncated each time), {@value #CHUNK_BYTES} bytes per call. The goal of issue 12: with
 * the provider, at least the JDK's bytes per second.
 *
 * <p>Cold: the source is dropped from the page cache before the iteration and before each pass.
 * Hot: it is read once before the iteration. The target's pages are the kernel's to write back.
 *
 * <p>Secondary results: {@code mebibytes:mebibytes} (MiB copied per second), {@code cpuMicrosPerOp}
 * (CPU time per MiB) and {@code peakOsThreads}.
 *
 * <h2>How to run</h2>
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ProviderTransferToBenchmark
 * </pre>
 * See {@link ProviderContender} to run Ringpark's side with the provider installed as the default.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 1, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1) // the JMH thread only watches; the virtual thread copies
@State(Scope.Benchmark)
public class ProviderTransferToBenchmark {
    /** The bytes each {@code transferTo} call is asked for. */
    static final long CHUNK_BYTES = 16 << 20;

    /** Whose {@code FileChannel.open}: {@code jdk} or {@code ringpark} (see {@link ProviderContender}). */
    @Param({"jdk", "ringpark"})
    public String contender;

    /** Ringpark's driver: {@code io_uring}, {@code aio} or {@code threads}. */
    @Param("io_uring")
    public String driver;

    /** The page cache's state of the source: {@code hot} or {@code cold}. */
    @Param({"hot", "cold"})
    public String cache;

    /** The source's size in MiB; see {@link BenchmarkFile#shared}. */
    @Param("1024")
    public int fileSizeMiB;

    private Path platformSource;
    private Path platformTarget;
    private Path source;
    private Path target;
    private CacheState cacheState;
    private Transfers copies;

    /** Finds (or makes) the source and makes the target, as the contender's paths. */
    @Setup(Level.Trial)
    public void prepareFiles() throws IOException {
        ProviderContender chosen = ProviderContender.named(contender);
        cacheState = CacheState.named(cache);
        if (cacheState == CacheState.DIRECT) {
            throw new IllegalArgumentException("cache must be hot or cold");
        }
        platformSource = BenchmarkFile.shared(fileSizeMiB);
        platformTarget = BenchmarkFile.createEmpty("ringpark-transfer-target-");
        chosen.prepare(driver, platformSource);
        source = chosen.path(platformSource);
        target = chosen.path(platformTarget);
    }

    /** Puts the source's pages in their state and starts copying, right before the iteration. */
    @Setup(Level.Iteration)
    public void startCopying() throws IOException {
        cacheState.prepare(platformSource);
        copies = Transfers.start(1, (pass, counted) -> {
            if (pass > 0) {
                cacheState.restart(platformSource);
            }
            try (FileChannel in = FileChannel.open(source, READ); FileChannel out = FileChannel.open(target, WRITE, TRUNCATE_EXISTING)) {
                long size = in.size();
                for (long position = 0; position < size; ) {
                    long moved = in.transferTo(position, Math.min(CHUNK_BYTES, size - position), out);
                    if (moved <= 0) {
                        throw new IOException("transferTo moved " + moved + " bytes at " + position + " of " + size);
                    }
                    position += moved;
                    counted.add(moved);
                }
            }
        });
    }

    /** Takes the MiB copied over one sample period. */
    @Benchmark
    public void mebibytes(ByteCounter counter, ResourceUse resources) throws IOException, InterruptedException {
        copies.sample(counter, resources);
    }

    /** Stops copying after the iteration. */
    @TearDown(Level.Iteration)
    public void stopCopying() throws IOException, InterruptedException {
        copies.stop();
    }

    /** Deletes the target. */
    @TearDown(Level.Trial)
    public void deleteTarget() throws IOException {
        Files.deleteIfExists(platformTarget);
    }
}
