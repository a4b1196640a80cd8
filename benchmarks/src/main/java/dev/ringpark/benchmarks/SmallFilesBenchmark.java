package dev.ringpark.benchmarks;

import dev.ringpark.RingFileChannel;

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
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static java.nio.file.StandardOpenOption.READ;

/**
 * Small files read whole, as a static-file server or a config loader reads them: {@code threads}
 * virtual threads each open one of the {@code files} files of {@link SmallFiles} (4 to 64 KiB, in
 * 100 directories), read it to its end and close it, one file after the other.
 *
 * <p>{@code cache=hot}: every file read once before the iteration. {@code cache=cold}: the kernel's
 * caches emptied before the iteration ({@code echo 3 > /proc/sys/vm/drop_caches}: pages, dentries
 * and inodes, so that opens read the disk too; needs root), and again whenever the readers come
 * back to the first file. Only {@code jdk} and {@code ringpark} take part. Secondary results:
 * {@code openReadClose:files}, {@code cpuMicrosPerOp}, {@code peakOsThreads}.
 *
 * <h2>How to run</h2>
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SmallFilesBenchmark -p cache=hot,cold
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 1, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1) // the JMH thread only watches; the virtual threads are the concurrency
@State(Scope.Benchmark)
public class SmallFilesBenchmark {
    /** Who opens, reads and closes: {@code jdk} or {@code ringpark}. */
    @Param({"jdk", "ringpark"})
    public String contender;

    /** Ringpark's driver: {@code io_uring}, {@code aio} or {@code threads}. */
    @Param("io_uring")
    public String driver;

    /** {@code hot} or {@code cold}. */
    @Param({"hot", "cold"})
    public String cache;

    /** The virtual threads reading at once. */
    @Param("256")
    public int threads;

    /** The files in the tree. */
    @Param("10000")
    public int files;

    private List<Path> tree;
    private boolean viaRingpark;
    private boolean cold;
    private Arena bufferMemory;
    private ByteBuffer[] buffers;
    private final AtomicLong next = new AtomicLong();
    private Load readers;

    /** Reports, as the secondary result {@code files}, the files opened, read and closed per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class FileCounter {
        /** Files opened, read whole and closed in this iteration so far. */
        public long files;
    }

    /** Writes the tree if it is missing, and for Ringpark checks the driver once. */
    @Setup(Level.Trial)
    public void prepareTree() throws IOException {
        Contender chosen = Contender.named(contender);
        if (chosen != Contender.JDK && chosen != Contender.RINGPARK) {
            throw new IllegalArgumentException("contender must be jdk or ringpark, was: " + contender);
        }
        viaRingpark = chosen == Contender.RINGPARK;
        cold = CacheState.named(cache) == CacheState.COLD;
        tree = SmallFiles.tree(files);
        chosen.open(tree.getFirst(), threads, driver, READ).close();
        bufferMemory = Arena.ofShared();
        buffers = new ByteBuffer[threads];
        for (int caller = 0; caller < threads; caller++) {
            buffers[caller] = bufferMemory.allocate(SmallFiles.MAX_BYTES, 4096).asByteBuffer();
        }
    }

    /** Sets the caches, then starts the readers, right before the iteration. */
    @Setup(Level.Iteration)
    public void startReaders() throws IOException {
        if (cold) {
            PageCache.dropEverything();
        } else {
            for (Path file : tree) {
                Files.readAllBytes(file);
            }
        }
        next.set(0);
        readers = Load.start(threads, this::openReadClose);
    }

    /** Takes the files done over one sample period. */
    @Benchmark
    public void openReadClose(FileCounter counter, ResourceUse resources) throws IOException, InterruptedException {
        Load.Progress progress = readers.awaitProgress();
        counter.files += progress.operations();
        resources.add(progress);
    }

    /** Stops the readers after the iteration. */
    @TearDown(Level.Iteration)
    public void stopReaders() throws IOException, InterruptedException {
        readers.stop();
    }

    /** Frees the buffers; the tree stays for the next fork. */
    @TearDown(Level.Trial)
    public void freeBuffers() {
        bufferMemory.close();
    }

    private void openReadClose(int caller) throws IOException {
        long index = next.getAndIncrement();
        if (cold && index > 0 && index % files == 0) {
            PageCache.dropEverything(); // back at the first file: what the readers read is cached again
        }
        Path file = tree.get((int) (index % files));
        ByteBuffer buffer = buffers[caller].clear();
        try (FileChannel channel = viaRingpark ? RingFileChannel.open(file, READ) : FileChannel.open(file, READ)) {
            while (channel.read(buffer, buffer.position()) >= 0 && buffer.hasRemaining()) {
                // read to the end of the file
            }
        }
        if (buffer.position() < SmallFiles.MIN_BYTES) {
            throw new IOException("read " + buffer.position() + " bytes of " + file);
        }
    }
}
