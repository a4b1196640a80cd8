package dev.ringpark;

import static java.nio.file.StandardOpenOption.READ;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Child JVM of {@link ResourceLimitTest}, run under a low {@code RLIMIT_MEMLOCK}: reports the limit it
 * runs under, then opens a file through Ringpark (which starts the poller and its ring) and reads it.
 * Prints {@code READ_OK <driver>} when that worked or {@code FAILED <exception>: <message>} (with its
 * causes) when Ringpark refused with an IOException, and exits 0 either way; anything else escapes and
 * exits non-zero.
 *
 * <p>Arguments: a directory to write the file in.
 */
public final class MemlockProbe {
    private MemlockProbe() {}

    public static void main(String[] args) throws Exception {
        Files.readAllLines(Path.of("/proc/self/limits")).stream()
                .filter(line -> line.startsWith("Max locked memory"))
                .forEach(line -> System.out.println("limit: " + line.replaceAll("\\s+", " ")));
        Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("CapEff"))
                .forEach(line -> System.out.println("caps: " + line.replaceAll("\\s+", " ")));
        byte[] data = Bytes.pattern(7, 64 * 1024);
        Path file = Files.write(Path.of(args[0]).resolve("memlock-probe"), data);
        try {
            byte[] read = VirtualThreads.call(() -> {
                try (RingFileChannel channel = RingFileChannel.open(file, READ)) {
                    ByteBuffer buffer = ByteBuffer.allocate(data.length);
                    while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
                        // until full
                    }
                    return buffer.array();
                }
            });
            if (!Arrays.equals(data, read)) {
                System.out.println("WRONG_DATA");
                System.exit(3);
            }
            System.out.println("READ_OK " + Ringpark.driver());
        } catch (IOException e) {
            StringBuilder message = new StringBuilder("FAILED ");
            for (Throwable t = e; t != null; t = t.getCause()) {
                message.append(t == e ? "" : " <- ").append(t.getClass().getName()).append(": ").append(t.getMessage());
            }
            System.out.println(message);
        }
    }
}
