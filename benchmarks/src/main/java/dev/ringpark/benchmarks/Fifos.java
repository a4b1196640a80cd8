package dev.ringpark.benchmarks;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Named pipes nobody writes to, for the benchmarks of calls that must be cancelled or time out: a
 * read of one waits until it is. Each is held open for reading and writing by this process (which
 * never blocks and counts as a writer), so that opening it for reading does not wait for a writer
 * and a read of it waits for data instead of returning end of file. Deleted on close.
 */
final class Fifos implements AutoCloseable {
    private final Path directory;
    private final List<Path> paths;
    private final List<RandomAccessFile> holders = new ArrayList<>();

    private Fifos(Path directory, List<Path> paths) throws IOException {
        this.directory = directory;
        this.paths = paths;
        for (Path path : paths) {
            holders.add(new RandomAccessFile(path.toFile(), "rw"));
        }
    }

    /** {@code count} FIFOs in a new directory of the working directory, made with one {@code mkfifo}. */
    static Fifos make(int count) throws IOException, InterruptedException {
        Path directory = BenchmarkFile.createDirectory("ringpark-fifos-" + ProcessHandle.current().pid());
        List<Path> paths = new ArrayList<>();
        List<String> command = new ArrayList<>(List.of("mkfifo", "-m", "600"));
        for (int i = 0; i < count; i++) {
            Path path = directory.resolve("fifo-" + i);
            Files.deleteIfExists(path);
            paths.add(path);
            command.add(path.toString());
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("mkfifo failed: " + new String(process.getInputStream().readAllBytes()));
        }
        return new Fifos(directory, paths);
    }

    Path get(int index) {
        return paths.get(index);
    }

    @Override
    public void close() throws IOException {
        for (RandomAccessFile holder : holders) {
            holder.close();
        }
        for (Path path : paths) {
            Files.deleteIfExists(path);
        }
        Files.deleteIfExists(directory);
    }
}
