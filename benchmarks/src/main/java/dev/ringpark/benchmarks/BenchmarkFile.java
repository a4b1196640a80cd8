package dev.ringpark.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardOpenOption.WRITE;

/**
 * The files the benchmarks use, in the working directory, which must be on a disk-backed file
 * system: "cold" and {@code O_DIRECT} mean nothing in memory.
 *
 * <p>The file the read benchmarks share holds random bytes (no holes, nothing a device could skip),
 * is written through to the disk (so that all of its pages are clean and can be dropped from the
 * cache), and is kept for the next fork and for fio, which reads the same file:
 * {@code benchmarks/run-benchmarks.sh} prepares it with {@link #main} before anything runs.
 */
final class BenchmarkFile {
    private static final int CHUNK_BYTES = 1 << 20;
    private static final long BYTES_PER_MIB = 1L << 20;

    private BenchmarkFile() {
    }

    /**
     * Prepares the shared read file: {@code java -cp benchmarks.jar dev.ringpark.benchmarks.BenchmarkFile 1024}
     * creates {@code ringpark-benchmark-1024MiB.bin} in the working directory unless it is there
     * already, and prints its path.
     */
    public static void main(String[] arguments) throws IOException {
        if (arguments.length != 1) {
            throw new IllegalArgumentException("usage: BenchmarkFile <size in MiB>");
        }
        System.out.println(shared(Integer.parseInt(arguments[0])));
    }

    /**
     * The file of {@code sizeMiB} random bytes that every read benchmark and fio share, created in
     * the working directory if it does not exist there yet with that size. It is never deleted.
     *
     * @throws IOException if the working directory is in memory ({@code tmpfs}) or the file cannot be written
     */
    static Path shared(int sizeMiB) throws IOException {
        Path file = directory().resolve("ringpark-benchmark-" + sizeMiB + "MiB.bin");
        long sizeBytes = sizeMiB * BYTES_PER_MIB;
        if (Files.isRegularFile(file) && Files.size(file) == sizeBytes) {
            return file;
        }
        Path partial = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".partial");
        try {
            writeRandomBytes(partial, sizeBytes);
            return Files.move(partial, file, ATOMIC_MOVE); // a fork that dies midway leaves no short file behind
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /**
     * A new empty file in the working directory, deleted when the JVM exits if the caller has not
     * deleted it before.
     *
     * @throws IOException if the working directory is in memory ({@code tmpfs}) or the file cannot be created
     */
    static Path createEmpty(String prefix) throws IOException {
        Path file = Files.createTempFile(directory(), prefix, ".bin");
        file.toFile().deleteOnExit();
        return file;
    }

    /** A directory of that name in the working directory, created if missing, kept. */
    static Path createDirectory(String name) throws IOException {
        return Files.createDirectories(directory().resolve(name));
    }

    private static Path directory() throws IOException {
        Path directory = Path.of("").toAbsolutePath();
        String type = Files.getFileStore(directory).type();
        if (type.equals("tmpfs") || type.equals("ramfs")) {
            throw new IOException(directory + " is on " + type + ": run the benchmarks from a directory on a disk");
        }
        return directory;
    }

    private static void writeRandomBytes(Path file, long sizeBytes) throws IOException {
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
        }
    }
}
