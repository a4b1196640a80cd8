package dev.ringpark.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;

/**
 * A directory of small files of random bytes, 4 to 64 KiB each (sizes drawn evenly, the same for
 * every fork), in the working directory, which must be on a disk. Made once by the first fork that
 * needs it, written back to the disk (so that their pages are clean and can be dropped), and kept.
 */
final class SmallFiles {
    static final int MIN_BYTES = 4 << 10;
    static final int MAX_BYTES = 64 << 10;

    private SmallFiles() {
    }

    /** The {@code count} files, made if the directory does not exist yet. */
    static List<Path> shared(int count) throws IOException, InterruptedException {
        Path directory = Path.of("").toAbsolutePath().resolve("ringpark-small-files-" + count);
        if (!Files.isDirectory(directory)) {
            String type = Files.getFileStore(directory.getParent()).type();
            if (type.equals("tmpfs") || type.equals("ramfs")) {
                throw new IOException(directory.getParent() + " is on " + type + ": run the benchmarks from a directory on a disk");
            }
            Path partial = Files.createTempDirectory(directory.getParent(), directory.getFileName() + ".");
            SplittableRandom random = new SplittableRandom(count);
            byte[] bytes = new byte[MAX_BYTES];
            for (int i = 0; i < count; i++) {
                random.nextBytes(bytes);
                Files.write(partial.resolve(name(i)), java.util.Arrays.copyOf(bytes, random.nextInt(MIN_BYTES, MAX_BYTES + 1)));
            }
            if (new ProcessBuilder("sync").inheritIO().start().waitFor() != 0) {
                throw new IOException("sync failed: the files' pages may not be droppable");
            }
            Files.move(partial, directory, ATOMIC_MOVE); // a fork that dies midway leaves no half-made directory
        }
        List<Path> files = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            files.add(directory.resolve(name(i)));
        }
        return files;
    }

    private static String name(int i) {
        return "file-" + i + ".bin";
    }
}
