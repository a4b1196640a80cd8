package dev.ringpark.examples;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static java.nio.file.StandardOpenOption.WRITE;

/**
 * A temporary file of random bytes on a disk-backed file system, for reading back cold.
 *
 * <p>A file on {@code tmpfs} lives in memory: dropping it from the page cache would lose it rather
 * than send its reads to the disk, so such directories are skipped.
 */
final class ScratchFile {
    private static final int CHUNK_BYTES = 1 << 20;
    private static final List<String> MEMORY_FILE_SYSTEMS = List.of("tmpfs", "ramfs");

    private ScratchFile() {
    }

    /**
     * Creates a file of {@code sizeBytes} random bytes, written through to the disk (so that none of
     * its pages is dirty and all can be dropped from the cache).
     *
     * @throws IOException if no candidate directory is disk-backed, or the file cannot be written
     */
    static Path create(long sizeBytes) throws IOException {
        Path file = Files.createTempFile(diskBackedDirectory(), "ringpark-demo-", ".bin");
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

    /** The first of the JVM's temporary directory, /var/tmp and the working directory that is on disk. */
    private static Path diskBackedDirectory() throws IOException {
        List<Path> candidates = List.of(Path.of(System.getProperty("java.io.tmpdir")), Path.of("/var/tmp"),
                Path.of("").toAbsolutePath());
        for (Path directory : candidates) {
            if (Files.isDirectory(directory) && Files.isWritable(directory)
                    && !MEMORY_FILE_SYSTEMS.contains(fileSystemType(directory))) {
                return directory;
            }
        }
        throw new IOException("none of " + candidates + " is a writable directory on a disk-backed file system");
    }

    private static String fileSystemType(Path directory) throws IOException {
        FileStore store = Files.getFileStore(directory);
        return store.type();
    }
}
