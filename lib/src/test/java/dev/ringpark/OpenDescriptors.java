package dev.ringpark;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** The process's open file descriptors, from {@code /proc/self/fd}: to show that nothing leaked. */
final class OpenDescriptors {
    private static final Path FD_DIR = Path.of("/proc/self/fd");

    private OpenDescriptors() {}

    /** Descriptor number to what it refers to (the directory listing's own descriptor is left out). */
    static Map<Integer, String> snapshot() throws IOException {
        Map<Integer, String> open = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(FD_DIR)) {
            for (Path entry : entries) {
                String target;
                try {
                    target = Files.readSymbolicLink(entry).toString();
                } catch (IOException gone) {
                    continue; // closed meanwhile: the listing's own descriptor, or a racing close
                }
                open.put(Integer.parseInt(entry.getFileName().toString()), target);
            }
        }
        String listing = "/proc/" + ProcessHandle.current().pid() + "/fd";
        open.values().removeIf(target -> target.equals(listing) || target.equals(FD_DIR.toString()));
        return open;
    }

    /**
     * A snapshot once the set has stopped changing (the same twice, 50 ms apart; at most 2 s): the JDK
     * closes some descriptors of its own a little later, such as a finished child process's pipes.
     */
    static Map<Integer, String> stable() throws IOException, InterruptedException {
        Map<Integer, String> last = snapshot();
        for (int i = 0; i < 40; i++) {
            Thread.sleep(50);
            Map<Integer, String> now = snapshot();
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        return last;
    }

    /** What {@code after} holds that {@code before} did not, and the other way round, for messages. */
    static String difference(Map<Integer, String> before, Map<Integer, String> after) {
        Map<Integer, String> added = new TreeMap<>(after);
        added.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));
        Map<Integer, String> removed = new TreeMap<>(before);
        removed.entrySet().removeIf(e -> e.getValue().equals(after.get(e.getKey())));
        return "opened since: " + head(added) + "; closed since: " + head(removed);
    }

    private static String head(Map<Integer, String> descriptors) {
        return descriptors.size() <= 20 ? descriptors.toString()
                : descriptors.size() + " descriptors, first " + descriptors.entrySet().stream().limit(20).toList();
    }

    /**
     * Waits up to {@code millis} for the count to come back to {@code before}'s (the JDK closes some
     * descriptors of its own, such as a finished child process's pipes, a little later), and returns
     * the last snapshot.
     */
    static Map<Integer, String> settle(Map<Integer, String> before, long millis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        Map<Integer, String> now = snapshot();
        while (now.size() != before.size() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            now = snapshot();
        }
        return now;
    }
}
