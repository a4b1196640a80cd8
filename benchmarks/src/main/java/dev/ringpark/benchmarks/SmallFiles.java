package dev.ringpark.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A tree of small files of {@value #MIN_BYTES} to {@value #MAX_BYTES} bytes, in
 * {@value #DIRECTORIES} directories, in the working directory (which must be on a disk). Written
 * once, through to the disk, and kept for later forks: {@code ringpark-small-files-N/NN/NNNNN}.
 */
final class SmallFiles {
    static final int DIRECTORIES = 100;
    static final int MIN_BYTES = 4 * 1024;
    static final int MAX_BYTES = 64 * 1024;
    private static final String DONE_MARKER = "complete";

    private SmallFiles() {
    }

    /** A tree of {@code count} files, in a fixed shuffled order (so that readers do not walk one directory at a time). */
    static List<Path> tree(int count) throws IOException {
        Path root = BenchmarkFile.createDirectory("ringpark-small-files-" + count);
        List<Path> files = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            files.add(root.resolve(String.format("%02d/%05d", i % DIRECTORIES, i)));
        }
        if (!Files.exists(root.resolve(DONE_MARKER))) {
            write(files);
            Files.createFile(root.resolve(DONE_MARKER));
        }
        Collections.shuffle(files, new Random(42));
        return files;
    }

    private static void write(List<Path> files) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        for (Path file : files) {
            Files.createDirectories(file.getParent());
            byte[] content = new byte[random.nextInt(MIN_BYTES, MAX_BYTES + 1)];
            random.nextBytes(content);
            Files.write(file, content);
        }
        Process sync = new ProcessBuilder("sync").inheritIO().start();
        try {
            if (sync.waitFor() != 0) {
                throw new IOException("sync failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while syncing the small files", e);
        }
    }
}
