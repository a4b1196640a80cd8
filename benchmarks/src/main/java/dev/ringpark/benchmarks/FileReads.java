package dev.ringpark.benchmarks;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many virtual threads reading blocks of the shared file through one contender: what the read
 * benchmarks have in common. The readers take the next block index from one shared cursor, so the
 * reads in flight are always the next ones in the order (as in fio), in order for sequential reads
 * and in a shuffled order of the whole file, without repeats, for random ones (as fio's random
 * map does). When the cursor comes back to the start of the order, the cache state
 * {@linkplain CacheState#restart restarts}: a cold run drops the file from the cache again.
 */
final class FileReads implements AutoCloseable {
    /** The same shuffled order for every fork, so that every contender reads the same blocks. */
    private static final long SHUFFLE_SEED = 0x5eed_b10c;
    /** O_DIRECT needs buffers aligned to the logical block size; a page is enough everywhere here. */
    private static final int BUFFER_ALIGNMENT = 4096;

    private final Path file;
    private final CacheState cache;
    private final BlockingFile channel;
    private final int blockBytes;
    private final int[] order;
    private final Arena bufferMemory;
    private final ByteBuffer[] buffers;
    private final AtomicLong cursor = new AtomicLong();

    private FileReads(Path file, CacheState cache, BlockingFile channel, int blockBytes, int[] order, int readers) {
        this.file = file;
        this.cache = cache;
        this.channel = channel;
        this.blockBytes = blockBytes;
        this.order = order;
        bufferMemory = Arena.ofShared();
        buffers = new ByteBuffer[readers];
        for (int reader = 0; reader < readers; reader++) {
            buffers[reader] = bufferMemory.allocate(blockBytes, BUFFER_ALIGNMENT).asByteBuffer();
        }
    }

    /**
     * Opens the shared file of {@code fileSizeMiB} through {@code contender} for {@code readers}
     * virtual threads reading {@code blockBytes} at a time.
     *
     * @param shuffled random reads if true, sequential ones if false
     */
    static FileReads open(Contender contender, String driver, CacheState cache, int fileSizeMiB, int blockBytes,
                          int readers, boolean shuffled) throws IOException {
        return open(file -> contender.open(file, readers, driver, cache.openOptions()), cache, fileSizeMiB, blockBytes,
                readers, shuffled);
    }

    /** Opens a {@link BlockingFile} on a path: a contender's way, or a benchmark's own. */
    @FunctionalInterface
    interface Opener {
        BlockingFile open(Path file) throws IOException;
    }

    /** As {@link #open(Contender, String, CacheState, int, int, int, boolean)}, the file opened by {@code opener}. */
    static FileReads open(Opener opener, CacheState cache, int fileSizeMiB, int blockBytes, int readers,
                          boolean shuffled) throws IOException {
        Path file = BenchmarkFile.shared(fileSizeMiB);
        long blocks = Math.floorDiv(fileSizeMiB * (1L << 20), blockBytes);
        int[] order = shuffled ? shuffledBlocks(Math.toIntExact(blocks)) : blocksInOrder(Math.toIntExact(blocks));
        BlockingFile channel = opener.open(file);
        return new FileReads(file, cache, channel, blockBytes, order, readers);
    }

    /** Puts the cache in its state, goes back to the start of the order, and starts the readers. */
    Load start() throws IOException {
        cache.prepare(file);
        cursor.set(0);
        return Load.start(buffers.length, this::readNext);
    }

    /** Closes the channel, then frees the buffers; the readers must have stopped. */
    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            bufferMemory.close(); // only once the channel is closed: no read can still be using it
        }
    }

    private void readNext(int reader) throws IOException {
        long next = cursor.getAndIncrement();
        int index = (int) (next % order.length);
        if (index == 0 && next > 0) {
            cache.restart(file);
        }
        long position = (long) order[index] * blockBytes;
        int bytes = channel.read(buffers[reader].clear(), position);
        if (bytes != blockBytes) { // a block inside the file always reads whole
            throw new IOException("read " + bytes + " bytes at " + position + ", not " + blockBytes);
        }
    }

    private static int[] blocksInOrder(int blocks) {
        int[] order = new int[blocks];
        for (int block = 0; block < blocks; block++) {
            order[block] = block;
        }
        return order;
    }

    /** Every block index of the file once, in a random order (Fisher-Yates). */
    private static int[] shuffledBlocks(int blocks) {
        int[] order = blocksInOrder(blocks);
        SplittableRandom random = new SplittableRandom(SHUFFLE_SEED);
        for (int last = blocks - 1; last > 0; last--) {
            int chosen = random.nextInt(last + 1);
            int swapped = order[last];
            order[last] = order[chosen];
            order[chosen] = swapped;
        }
        return order;
    }
}
