package dev.ringpark.poller.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Kernel settings under {@code /proc/sys}, for error messages that say which limit was hit. */
public final class Sysctl {
    private Sysctl() {
    }

    /**
     * The value of {@code name} ({@code "fs.aio-max-nr"}), or {@code "unknown"} when it cannot be read.
     * Read line-wise: {@code Files.readString} gets only the first byte of these size-0 files.
     */
    public static String read(String name) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/sys", name.split("\\.")));
            return lines.isEmpty() ? "unknown" : lines.getFirst().trim();
        } catch (IOException | UncheckedIOException e) {
            return "unknown";
        }
    }
}
