package dev.ringpark.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

/**
 * The file a benchmark reads: random bytes (no holes, nothing a device could skip), created in the
 * working directory, which must be on a disk-backed file system, and written through to the disk.
 */
final class BenchmarkFile {
    private static final int CHUNK_BYTES = 1 << 20;

    private BenchmarkFile() {
    }

    /**
     * Creates a file of {@code sizeBytes} random bytes in the working directory and forces it to
     * the disk, so that none of its pages is dirty and all of them can be dropped from the cache.
     *
     * @throws IOException if the working directory is in memory ({@code tmpfs}), where "cold" and
     *                     {@code O_DIRECT} mean nothing, or the file cannot be written
     */
    static Path create(long sizeBytes) throws IOException {
        Path directory = Path.of("").toAbsolutePath();
        String type = Files.getFileStore(directory).type();
        if (type.equals("tmpfs") || type.equals("ramfs")) {
            throw new IOException(directory + " is on " + type + ": run the benchmark from a directory on a disk");
        }
        Path file = Files.createTempFile(directory, "ringpark-benchmark-", ".bin");
        file.toFile().deleteOnExit(); // in case the fork dies before its tear-down
        try (FileChannel channel = FileChannel.open(file, WRITE)) {
            SplittableRandom random = new SplittableRandom();
            byte[] chunk = new byte[CHUNK_BYTES];
            for (long written = 0; written < sizeBytes; ) {
                random.nextBytes(chunk);
                ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, (int) Math.min(CHUNK_BYTES, sizeBytes - written));
                while (buffer.hasRemaining()) {
                    written += channel.write(buffer, written);
                }
            }
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return file;
    }

    /** Reads the whole file once, sequentially, so that all of it is in the page cache. */
    static void readFully(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, READ)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK_BYTES);
            long position = 0;
            for (int bytes; (bytes = channel.read(buffer.clear(), position)) > 0; ) {
                position += bytes;
            }
        }
    }
}
