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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code Files.readAllBytes} of many small files, as a server that reads a whole file per request
 * does: {@code threads} virtual threads each take the next of {@code fileCount} files (4 to 64 KiB,
 * see {@link SmallFiles}, in a shuffled order) and read it whole, without pause. The goal of issue
 * 12: with the provider, at least 0.9 times the JDK's files per second hot and 3 times cold, with
 * at most 4 more OS threads.
 *
 * <p>Cold: every file is dropped from the page cache before the iteration, and again each time the
 * readers come back to the first file of the order (by the reader that does; the others read on
 * meanwhile). Hot: every file is read once before the iteration.
 *
 * <p>Secondary results: {@code files:files} (files read per second), {@code cpuMicrosPerOp} (CPU
 * time per file) and {@code peakOsThreads}.
 *
 * <h2>How to run</h2>
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ProviderReadAllBytesBenchmark
 * </pre>
 * The files (about 340 MiB) are made in the working directory by the first fork and kept. See
 * {@link ProviderContender} to run Ringpark's side with the provider installed as the default.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 1, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1) // the JMH thread only watches; the virtual threads are the concurrency
@State(Scope.Benchmark)
public class ProviderReadAllBytesBenchmark {
    /** Whose {@code Files.readAllBytes}: {@code jdk} or {@code ringpark} (see {@link ProviderContender}). */
    @Param({"jdk", "ringpark"})
    public String contender;

    /** Ringpark's driver: {@code io_uring}, {@code aio} or {@code threads}. */
    @Param("io_uring")
    public String driver;

    /** The page cache's state: {@code hot} or {@code cold}. */
    @Param({"hot", "cold"})
    public String cache;

    /** The virtual threads reading at once. */
    @Param("256")
    public int threads;

    /** How many files there are to read. */
    @Param("10000")
    public int fileCount;

    private List<Path> platformFiles;
    private Path[] files;
    private boolean cold;
    private final AtomicLong cursor = new AtomicLong();
    private Load readers;

    /** Reports, as the secondary result {@code files}, the files read per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class FileCounter {
        /** Files read in this iteration so far. */
        public long files;
    }

    /** Makes (or finds) the files, as the contender's paths. */
    @Setup(Level.Trial)
    public void prepareFiles() throws IOException {
        ProviderContender chosen = ProviderContender.named(contender);
        cold = switch (CacheState.named(cache)) {
            case COLD -> true;
            case HOT -> false;
            case DIRECT -> throw new IllegalArgumentException("Files.readAllBytes has no O_DIRECT: cache must be hot or cold");
        };
        platformFiles = SmallFiles.tree(fileCount); // in a fixed shuffled order
        chosen.prepare(driver, platformFiles.getFirst());
        files = new Path[fileCount];
        for (int i = 0; i < fileCount; i++) {
            files[i] = chosen.path(platformFiles.get(i));
        }
    }

    /** Puts the page cache in its state and starts the readers, right before the iteration. */
    @Setup(Level.Iteration)
    public void startReaders() throws IOException {
        setCache();
        cursor.set(0);
        readers = Load.start(threads, caller -> readNext());
    }

    private void setCache() throws IOException {
        for (Path file : platformFiles) {
            if (cold) {
                PageCache.drop(file);
            } else {
                PageCache.fill(file);
            }
        }
    }

    private void readNext() throws IOException {
        long next = cursor.getAndIncrement();
        int index = (int) (next % fileCount);
        if (index == 0 && next > 0 && cold) {
            setCache();
        }
        byte[] bytes = Files.readAllBytes(files[index]);
        if (bytes.length < SmallFiles.MIN_BYTES) {
            throw new IOException("read " + bytes.length + " bytes of " + files[index]);
        }
    }

    /** Takes the files read over one sample period. */
    @Benchmark
    public void files(FileCounter counter, ResourceUse resources) throws IOException, InterruptedException {
        Load.Progress progress = readers.awaitProgress();
        counter.files += progress.operations();
        resources.add(progress);
    }

    /** Stops the readers after the iteration. */
    @TearDown(Level.Iteration)
    public void stopReaders() throws IOException, InterruptedException {
        readers.stop();
    }
}
