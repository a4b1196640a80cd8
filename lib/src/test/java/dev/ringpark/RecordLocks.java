package dev.ringpark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What {@code /proc/locks} says of a file's record locks. */
final class RecordLocks {
    private RecordLocks() {}

    /**
     * The lock requests waiting for {@code file} (lines {@code "N: -> POSIX ADVISORY WRITE pid
     * maj:min:inode start end"}), matched by inode.
     */
    static long waitingFor(Path file) throws IOException {
        String inode = ":" + Files.getAttribute(file, "unix:ino");
        return Files.readAllLines(Path.of("/proc/locks")).stream()
                .map(line -> line.trim().split("\\s+"))
                .filter(fields -> fields.length > 6 && fields[1].equals("->") && fields[6].endsWith(inode))
                .count();
    }
}
