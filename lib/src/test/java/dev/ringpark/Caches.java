package dev.ringpark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The kernel's caches, emptied for tests that need a path or data the kernel must read from the disk. */
final class Caches {
    private static final Path DROP_CACHES = Path.of("/proc/sys/vm/drop_caches");

    private Caches() {
    }

    /**
     * Writes back what is dirty ({@code sync}), then drops the unused dentries and inodes of every
     * file system ({@code echo 2 > /proc/sys/vm/drop_caches}). Skips the calling test where that
     * is not allowed (not root, or {@code /proc/sys} read-only, as in most containers).
     */
    static void dropDentriesAndInodes() throws IOException, InterruptedException {
        assumeTrue(Files.isWritable(DROP_CACHES), "needs root and a writable " + DROP_CACHES);
        Process sync = new ProcessBuilder("sync").inheritIO().start();
        assumeTrue(sync.waitFor(60, TimeUnit.SECONDS) && sync.exitValue() == 0, "sync(1) did not succeed");
        Files.writeString(DROP_CACHES, "2");
    }
}
