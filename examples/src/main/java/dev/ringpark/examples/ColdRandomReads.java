package dev.ringpark.examples;

import dev.ringpark.RingFileChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static java.nio.file.StandardOpenOption.READ;

/**
 * Reads a file at random, 4 KiB at a time, from many virtual threads for a fixed time, with the file
 * kept out of the page cache, and measures the reads per second and the peak number of OS threads.
 *
 * <p>The file is dropped from the cache before the readers start and again every 10 ms while they
 * run: at tens of thousands of reads per second a 256 MiB file (65,536 blocks) would otherwise be
 * mostly cached within two seconds, and the run would measure memory copies instead of the disk.
 */
final class ColdRandomReads {
    static final int BLOCK_BYTES = 4096;
    private static final long CHECK_PERIOD_MILLIS = 10;

    /** Opens the channel under test; {@code FileChannel::open} and {@code RingFileChannel::open} fit. */
    @FunctionalInterface
    interface ChannelOpener {
        FileChannel open(Path file) throws IOException;
    }

    /** What one run did: its reads, how long they took, and the most OS threads the JVM had meanwhile. */
    record Result(long reads, Duration elapsed, int peakOsThreads) {
        double readsPerSecond() {
            return reads / (elapsed.toNanos() / 1e9);
        }
    }

    private ColdRandomReads() {
    }

    /**
     * Opens {@code file} with {@code opener} and reads it from {@code threads} virtual threads, each
     * reading one random block after another until {@code duration} has passed.
     */
    static Result run(Path file, ChannelOpener opener, int threads, Duration duration)
            throws IOException, InterruptedException {
        long blocks = Files.size(file) / BLOCK_BYTES;
        try (FileChannel channel = opener.open(file);
             ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            dropFromPageCache(file);
            long start = System.nanoTime();
            long deadline = start + duration.toNanos();
            List<Future<Long>> readCounts = new ArrayList<>(threads);
            for (int i = 0; i < threads; i++) {
                readCounts.add(readers.submit(() -> readRandomBlocksUntil(deadline, channel, blocks)));
            }
            int peakOsThreads = keepColdUntil(deadline, file);
            long reads = 0;
            for (Future<Long> readCount : readCounts) {
                reads += result(readCount);
            }
            return new Result(reads, Duration.ofNanos(System.nanoTime() - start), peakOsThreads);
        }
    }

    /** One reader: what a virtual thread serving requests would do. Returns how many reads it made. */
    private static long readRandomBlocksUntil(long deadline, FileChannel channel, long blocks) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(BLOCK_BYTES);
        long reads = 0;
        while (System.nanoTime() < deadline) {
            long block = ThreadLocalRandom.current().nextLong(blocks);
            buffer.clear();
            int bytes = channel.read(buffer, block * BLOCK_BYTES);
            if (bytes != BLOCK_BYTES) { // a block inside the file always reads whole
                throw new IOException("read " + bytes + " bytes of block " + block + ", not " + BLOCK_BYTES);
            }
            reads++;
        }
        return reads;
    }

    /**
     * Runs on the calling platform thread while the readers work: every 10 ms, counts the JVM's OS
     * threads and drops the file from the page cache again. Returns the highest count seen.
     */
    private static int keepColdUntil(long deadline, Path file) throws IOException, InterruptedException {
        int peakOsThreads = osThreads();
        while (System.nanoTime() < deadline) {
            Thread.sleep(CHECK_PERIOD_MILLIS);
            peakOsThreads = Math.max(peakOsThreads, osThreads());
            dropFromPageCache(file);
        }
        return peakOsThreads;
    }

    /** The JVM's OS threads right now: Linux lists each as a directory under /proc/self/task. */
    private static int osThreads() throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return (int) tasks.count();
        }
    }

    private static long result(Future<Long> readCount) throws IOException, InterruptedException {
        try {
            return readCount.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("a reader failed", e.getCause());
        }
    }

    /** Drops the file's clean pages from the page cache, so that the next reads go to the disk. */
    private static void dropFromPageCache(Path file) throws IOException {
        try (RingFileChannel channel = RingFileChannel.open(file, READ)) {
            channel.advise(0, 0, RingFileChannel.Advice.DONT_NEED);
        }
    }
}
