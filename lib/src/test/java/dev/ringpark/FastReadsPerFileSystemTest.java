package dev.ringpark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.nio.file.StandardOpenOption.READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * tmpfs refuses {@code RWF_NOWAIT} even for cached data: its files skip the page-cache fast path from
 * the start, and that says nothing of the files of other file systems in the same process.
 */
class FastReadsPerFileSystemTest {
    private static final Path TMPFS = Path.of("/dev/shm");

    @TempDir
    Path disk;

    @Test
    void aTmpfsFileTurnsTheFastPathOffForItselfOnly() throws Exception {
        assumeTrue(Files.isDirectory(TMPFS) && Files.getFileStore(TMPFS).type().equals("tmpfs"),
                "needs a tmpfs at " + TMPFS);
        assumeTrue(Ringpark.fastReads(), Ringpark.FAST_READS_PROP_NAME + " is off");
        Path inMemory = Files.createTempFile(TMPFS, "ringpark-", ".data");
        Path onDisk = Files.write(disk.resolve("data"), Bytes.pattern(3, 4096));
        try {
            Files.write(inMemory, Bytes.pattern(4, 4096));
            VirtualThreads.call(() -> {
                try (RingFileChannel tmpfs = RingFileChannel.open(inMemory, READ);
                     RingFileChannel ondisk = RingFileChannel.open(onDisk, READ)) {
                    assertEquals(4096, tmpfs.read(ByteBuffer.allocate(4096), 0));
                    assertEquals(4096, ondisk.read(ByteBuffer.allocate(4096), 0));
                    assertFalse(((PollerFileChannel) tmpfs).fastReads(), "tmpfs: through the poller");
                    assumeTrue(!Files.getFileStore(disk).type().equals("tmpfs"), "the temp directory is tmpfs too");
                    assertTrue(((PollerFileChannel) ondisk).fastReads(), "the disk's file keeps the fast path");
                }
                return null;
            });
        } finally {
            Files.deleteIfExists(inMemory);
        }
    }
}
