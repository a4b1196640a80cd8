package dev.ringpark.poller;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What the calls made on the caller's thread find and do, on the files this machine has. */
class CallerCallsTest {
    private static final OpenMode READ_ONLY = new OpenMode(OpenMode.Access.READ, OpenMode.Creation.EXISTING, false,
            false, false, false, false, true, 0);

    @TempDir
    Path directory;

    private static PathLook look(Path path, boolean followLinks) {
        try (Arena arena = Arena.ofConfined()) {
            return CallerCalls.look(arena.allocateFrom(path.toString()), followLinks);
        }
    }

    @Test
    void aLookSaysWhatACachedPathNamesAndOnWhichFileSystem() throws Exception {
        Path file = Files.writeString(directory.resolve("file"), "x");
        Path link = Files.createSymbolicLink(directory.resolve("link"), file.getFileName());
        Process mkfifo = new ProcessBuilder("mkfifo", directory.resolve("fifo").toString()).start();
        assumeTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "needs mkfifo(1)");
        // Following a link whose access time is due an update (relatime: not newer than its
        // modification) needs the disk, so the look says UNKNOWN and the open goes through the
        // poller (measured on ext4, for a new link). Touched an hour after it was "modified", it is
        // followed from the caches.
        Files.getFileAttributeView(link, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(
                FileTime.from(Instant.now().minus(Duration.ofHours(1))), FileTime.from(Instant.now()), null);

        assertEquals(FileType.REGULAR, look(file, true).type());
        assertEquals(FileType.REGULAR, look(link, true).type());
        assertEquals(FileType.SYMBOLIC_LINK, look(link, false).type());
        assertEquals(FileType.DIRECTORY, look(directory, true).type());
        assertEquals(FileType.FIFO, look(directory.resolve("fifo"), true).type());
        Path missing = directory.resolve("missing");
        assertEquals(FileType.UNKNOWN, look(missing, true).type(), "a name never looked up is not cached");
        assertFalse(Files.exists(missing)); // the lookup leaves a negative dentry in the cache
        assertEquals(FileType.NONE, look(missing, true).type());
        String type = Files.getFileStore(directory).type();
        assertEquals(type, look(file, true).fileSystem().type(), "the mount's type, as /proc/self/mountinfo says");
    }

    /**
     * A writer waiting to open a FIFO (another process) is not let through by looks at the FIFO: were
     * a look a reader, even for an instant, the writer's open would return, its write would find no
     * reader left (or its bytes would be dropped with the pipe), and the reader that comes last would
     * not get them.
     */
    @Test
    void lookingAtAFifoReleasesNoWriterWaitingForAReader() throws Exception {
        Path fifo = directory.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "needs mkfifo(1)");
        Process writer = new ProcessBuilder("sh", "-c", "printf ok > '" + fifo + "'").start();
        try {
            Path wchan = Path.of("/proc/" + writer.pid() + "/wchan");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.readString(wchan).contains("partner")) { // the kernel's wait_for_partner
                assertTrue(System.nanoTime() < deadline && writer.isAlive(), "the writer never waited in its open");
                Thread.onSpinWait();
            }
            for (int i = 0; i < 100; i++) {
                assertTrue(look(fifo, true).fifo());
            }
            assertTrue(writer.isAlive(), "the writer's open returned");
            try (var reader = new java.io.FileInputStream(fifo.toFile())) {
                assertEquals("ok", new String(reader.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII));
            }
            assertTrue(writer.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, writer.exitValue(), "the writer's printf failed: it wrote with no reader");
        } finally {
            writer.destroyForcibly();
        }
    }

    @Test
    void anOpenThatWouldCreateOrTruncateIsNeverMadeOnTheCaller() {
        OpenMode create = new OpenMode(OpenMode.Access.WRITE, OpenMode.Creation.CREATE, false, false, false, false,
                false, true, 0644);
        OpenMode truncate = new OpenMode(OpenMode.Access.WRITE, OpenMode.Creation.EXISTING, true, false, false,
                false, false, true, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom(directory.resolve("file").toString());
            assertThrows(IllegalArgumentException.class, () -> CallerCalls.openCached(path, create));
            assertThrows(IllegalArgumentException.class, () -> CallerCalls.openCached(path, truncate));
        }
    }

    @Test
    void aCachedOpenKeepsNoNonBlockingFlagAndDescribesItsFile() throws IOException {
        Path file = Files.writeString(directory.resolve("file"), "x");
        try (Arena arena = Arena.ofConfined()) {
            int fd = CallerCalls.openCached(arena.allocateFrom(file.toString()), READ_ONLY);
            assertTrue(fd >= 0, "fd " + fd);
            try {
                String flags = Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd)).get(1);
                int octal = Integer.parseInt(flags.replaceAll("\\D", ""), 8);
                assertEquals(0, octal & dev.ringpark.poller.linux.OpenFlags.O_NONBLOCK, flags);
                PathLook described = CallerCalls.describe(fd);
                assertEquals(FileType.REGULAR, described.type());
                assertEquals(look(file, true).fileSystem(), described.fileSystem());
            } finally {
                CallerCalls.closeAnyway(fd);
            }
        }
    }

    @Test
    void aBlockDeviceIsAsLargeAsTheJdkSays() throws IOException {
        Path device = Path.of("/dev/vda");
        assumeTrue(Files.isReadable(device), "needs a readable block device at " + device);
        long expected;
        try (FileChannel jdk = FileChannel.open(device, StandardOpenOption.READ)) {
            expected = jdk.size();
        } catch (IOException refused) {
            assumeTrue(false, "the JDK cannot open " + device + " here: " + refused);
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            int fd = CallerCalls.openCached(arena.allocateFrom(device.toString()), READ_ONLY);
            assumeTrue(fd >= 0, "the device's open is not cached here");
            try {
                FileHandle handle = new FileHandle(fd, FileHandle.IoMode.BUFFERED, FileType.BLOCK_DEVICE,
                        CallerCalls.describe(fd).fileSystem(), false);
                assertEquals(expected, CallerCalls.size(handle));
                assertTrue(expected > 0);
            } finally {
                CallerCalls.closeAnyway(fd);
            }
        }
    }

    @Test
    void theTraitsOfFileSystemsTellLocalOnesAndTmpfsApart() {
        assertTrue(FileSystemTraits.ofType("ext4").local());
        assertTrue(FileSystemTraits.ofType("ext4").nowaitReads());
        assertTrue(FileSystemTraits.ofType("tmpfs").local());
        assertFalse(FileSystemTraits.ofType("tmpfs").nowaitReads());
        for (String remote : new String[] {"nfs", "nfs4", "fuse", "fuse.sshfs", "cifs", "overlay", "9p"}) {
            assertFalse(FileSystemTraits.ofType(remote).local(), remote);
        }
    }
}
