package dev.ringpark.benchmarks;

import dev.ringpark.RingFileChannel;
import dev.ringpark.Ringpark;
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
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static java.nio.file.StandardOpenOption.READ;

/**
 * Random 4 KiB reads of one file shared by many virtual threads, through the JDK's
 * {@link FileChannel} or Ringpark's {@link RingFileChannel}, with the page cache cold, hot or
 * bypassed.
 *
 * <h2>What it measures</h2>
 * One invocation starts {@code threads} virtual threads; each reads a fixed batch of 4 KiB blocks
 * (16 cold or direct, 256 hot, so that an invocation takes tens of milliseconds) into a direct
 * buffer of its own, one read after the other, and the invocation ends when all have finished.
 * The results to read are the secondary ones:
 * <ul>
 *   <li>{@code randomReads:reads}: 4 KiB reads per second (the primary score counts invocations);</li>
 *   <li>{@code randomReads:peakOsThreads}: the most OS threads the JVM had during the iteration,
 *       sampled every 10 ms from {@code /proc/self/task}.</li>
 * </ul>
 * Blocks are read in a shuffled order of the whole file, without repeats (as fio's random map does),
 * so that no cold read finds a block that an earlier read brought into the cache: when the order
 * comes back to blocks read since the cache was last dropped (after 262,144 reads of 1 GiB), the
 * cache is dropped again, within the measured time (about 1 ms per 256 MiB cached).
 *
 * <h2>Parameters</h2>
 * <ul>
 *   <li>{@code channel}: {@code jdk} ({@code FileChannel.open}) or {@code ringpark}
 *       ({@code RingFileChannel.open}); the fork prints Ringpark's driver.</li>
 *   <li>{@code cache}: {@code cold} (buffered, the file dropped from the page cache with
 *       {@code posix_fadvise(DONTNEED)} just before each iteration), {@code hot} (buffered, the file
 *       read fully just before each iteration) or {@code direct} ({@code O_DIRECT}, 4096-aligned
 *       buffers; the cache is dropped before each iteration too, though reads bypass it).</li>
 *   <li>{@code fileSizeMiB}: the file's size (default 1 GiB). It is created in the working
 *       directory, which must be on a disk, once per fork, and deleted at the end.</li>
 *   <li>{@code threads}: the virtual threads reading at once (default 256).</li>
 * </ul>
 *
 * <h2>How to run</h2>
 * From the repository root (the file goes in the working directory: not a {@code tmpfs}):
 * <pre>
 * ./dev mvn -q -pl benchmarks -am -DskipTests -Djcstress.skip -Djmh.skip package
 * java -jar benchmarks/target/benchmarks.jar RandomReadBenchmark
 * java -jar benchmarks/target/benchmarks.jar RandomReadBenchmark -p cache=cold,direct -p threads=1024
 * </pre>
 * The second command runs all six combinations, one fork each, in about two minutes. Keep the
 * machine otherwise idle: the cold and direct figures are the disk's, the hot ones a CPU's.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 1, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1) // one JMH thread starts the batches; the virtual threads are the concurrency
@State(Scope.Benchmark)
public class RandomReadBenchmark {
    static final int BLOCK_BYTES = 4096;
    private static final long BYTES_PER_MIB = 1L << 20;
    /** The same shuffled order for every fork, so both channels read the same blocks. */
    private static final long BLOCK_ORDER_SEED = 0x5eed_b10c;

    /** Which channel: {@code jdk} or {@code ringpark}. */
    @Param({"jdk", "ringpark"})
    public String channel;

    /** The page cache's state and the open mode: {@code cold}, {@code hot} or {@code direct}. */
    @Param({"cold", "hot", "direct"})
    public String cache;

    /** The file's size in MiB. */
    @Param("1024")
    public int fileSizeMiB;

    /** The virtual threads that read at once. */
    @Param("256")
    public int threads;

    private CacheState cacheState;
    private Path file;
    private FileChannel channelUnderTest;
    private Arena bufferMemory;
    private ByteBuffer[] readerBuffers;
    private int[] blockOrder;
    /** The index in {@link #blockOrder} of the next invocation's first read; only the JMH thread uses it. */
    private long nextRead;
    /** Reads since the file was last dropped from the cache, for {@code cold}. */
    private long readsSinceEviction;

    /** What the page cache holds when an iteration starts, how the file is opened, and the batch size. */
    enum CacheState {
        COLD(16, READ),
        HOT(256, READ),
        DIRECT(16, READ, directOpenOption());

        /** Reads per virtual thread per invocation: tens of milliseconds' worth at 256 threads. */
        final int readsPerThread;
        final OpenOption[] openOptions;

        CacheState(int readsPerThread, OpenOption... openOptions) {
            this.readsPerThread = readsPerThread;
            this.openOptions = openOptions;
        }

        /**
         * {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, looked up by name: javac calls any
         * mention of {@code jdk.unsupported} "internal proprietary API", a warning no annotation
         * suppresses and that {@code -Werror} makes fatal.
         */
        private static OpenOption directOpenOption() {
            try {
                return (OpenOption) Class.forName("com.sun.nio.file.ExtendedOpenOption").getField("DIRECT").get(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("this JDK has no com.sun.nio.file.ExtendedOpenOption.DIRECT", e);
            }
        }
    }

    /** Creates and fills the file, opens the channel and allocates each reader's buffer. */
    @Setup(Level.Trial)
    public void createFileAndOpenChannel() throws IOException {
        cacheState = CacheState.valueOf(cache.toUpperCase(Locale.ROOT));
        long fileBytes = fileSizeMiB * BYTES_PER_MIB;
        file = BenchmarkFile.create(fileBytes);
        blockOrder = shuffledBlocks(Math.toIntExact(fileBytes / BLOCK_BYTES));
        channelUnderTest = switch (channel) {
            case "jdk" -> FileChannel.open(file, cacheState.openOptions);
            case "ringpark" -> RingFileChannel.open(file, cacheState.openOptions);
            default -> throw new IllegalArgumentException("channel must be jdk or ringpark, not " + channel);
        };
        if (channelUnderTest instanceof RingFileChannel) {
            System.out.println("Ringpark driver: " + Ringpark.driver());
        }
        bufferMemory = Arena.ofShared();
        readerBuffers = new ByteBuffer[threads];
        for (int reader = 0; reader < threads; reader++) {
            // Aligned to the block size, as O_DIRECT requires; harmless for buffered reads.
            readerBuffers[reader] = bufferMemory.allocate(BLOCK_BYTES, BLOCK_BYTES).asByteBuffer();
        }
    }

    /** Puts the page cache in the state the {@code cache} parameter names. */
    @Setup(Level.Iteration)
    public void prepareCache() throws IOException {
        switch (cacheState) {
            case COLD, DIRECT -> dropFromPageCache(file);
            case HOT -> BenchmarkFile.readFully(file);
        }
        readsSinceEviction = 0;
    }

    /** Closes the channel, then frees the buffers and deletes the file. */
    @TearDown(Level.Trial)
    public void closeChannelAndDeleteFile() throws IOException {
        try {
            channelUnderTest.close();
        } finally {
            bufferMemory.close(); // only once the channel is closed: no read can still be using it
            Files.deleteIfExists(file);
        }
    }

    /**
     * One batch: {@code threads} virtual threads each make {@code readsPerThread} reads of blocks
     * that are next in the shuffled order.
     *
     * @param peak not used here; taking it makes JMH report the OS thread count
     */
    @Benchmark
    public void randomReads(ReadCounter counter, OsThreadPeak peak)
            throws IOException, InterruptedException, ExecutionException {
        int readsPerThread = cacheState.readsPerThread;
        long batchReads = (long) threads * readsPerThread;
        if (cacheState == CacheState.COLD && readsSinceEviction + batchReads > blockOrder.length) {
            // This batch would come back to blocks read since the cache was dropped: drop it again.
            dropFromPageCache(file);
            readsSinceEviction = 0;
        }
        readsSinceEviction += batchReads;
        long firstRead = nextRead;
        nextRead += batchReads;
        List<Callable<Void>> readers = new ArrayList<>(threads);
        for (int reader = 0; reader < threads; reader++) {
            ByteBuffer buffer = readerBuffers[reader];
            long readerFirstRead = firstRead + (long) reader * readsPerThread;
            readers.add(() -> readBlocks(buffer, readerFirstRead, readsPerThread));
        }
        try (ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Void> reader : virtualThreads.invokeAll(readers)) {
                reader.get(); // rethrows a reader's failure
            }
        }
        counter.reads += batchReads;
    }

    private Void readBlocks(ByteBuffer buffer, long firstRead, int reads) throws IOException {
        for (long read = firstRead; read < firstRead + reads; read++) {
            long block = blockOrder[(int) (read % blockOrder.length)];
            int bytes = channelUnderTest.read(buffer.clear(), block * BLOCK_BYTES);
            if (bytes != BLOCK_BYTES) { // a block inside the file always reads whole
                throw new IOException("read " + bytes + " bytes of block " + block + ", not " + BLOCK_BYTES);
            }
        }
        return null;
    }

    /** Every block index of the file once, in a random order (Fisher-Yates). */
    private static int[] shuffledBlocks(int blocks) {
        int[] order = new int[blocks];
        for (int block = 0; block < blocks; block++) {
            order[block] = block;
        }
        SplittableRandom random = new SplittableRandom(BLOCK_ORDER_SEED);
        for (int last = blocks - 1; last > 0; last--) {
            int chosen = random.nextInt(last + 1);
            int swapped = order[last];
            order[last] = order[chosen];
            order[chosen] = swapped;
        }
        return order;
    }

    /** Drops the file's clean pages from the page cache, so that the next reads go to the disk. */
    private static void dropFromPageCache(Path file) throws IOException {
        try (RingFileChannel channel = RingFileChannel.open(file, READ)) {
            channel.advise(0, 0, RingFileChannel.Advice.DONT_NEED);
        }
    }
}
