package dev.ringpark;

import dev.ringpark.poller.Close;
import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.FileSystemTraits;
import dev.ringpark.poller.FileType;
import dev.ringpark.poller.Open;
import dev.ringpark.poller.Operation;
import dev.ringpark.poller.Poller;
import dev.ringpark.poller.Stat;
import dev.ringpark.poller.Transfer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.DELETE_ON_CLOSE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The calls Ringpark makes on the caller where they cannot wait ({@code CallerCalls}), and for each
 * the variant that can wait, which must still go through the poller and park its caller there: a
 * poller of the test's own, whose driver records every operation and holds back the completions a
 * test chooses, so that the caller is seen parked before it is let go.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CallerSideCallsTest {
    @TempDir
    Path directory;

    private final AtomicReference<HoldingDriver> driver = new AtomicReference<>();
    private Poller poller;
    private Path file;

    @BeforeEach
    void startPoller() throws IOException {
        poller = HoldingDriver.start(driver);
        file = directory.resolve("data");
        Files.write(file, Bytes.pattern(7, 4096));
        Files.readAllBytes(file); // cached, path and pages
    }

    @AfterEach
    void releaseHeld() {
        driver.get().release();
    }

    private RingFileChannel open(Path path, OpenOption... options) throws IOException {
        return RingFileChannel.open(poller, path, Set.of(options));
    }

    /** What was read into {@code buffer}, from 0 to its position. */
    private static byte[] contents(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.position()];
        buffer.flip().get(bytes);
        return bytes;
    }

    private static Predicate<Operation> ofKind(Class<? extends Operation> kind) {
        return kind::isInstance;
    }

    @Test
    void aCachedFileOpensReadsSizesAndClosesWithoutThePoller() throws Exception {
        VirtualThreads.call(() -> {
            try (RingFileChannel channel = open(file, READ)) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
                assertEquals(4096, channel.read(buffer, 0));
                assertEquals(4096, channel.size());
            }
            return null;
        });
        assertEquals(java.util.List.of(), driver.get().submitted(operation -> true),
                "open, cached read, size and close of a read-only local file reach no driver");
    }

    /**
     * A read into a buffer larger than what is left of a cached file is answered short by the page
     * cache; asking it again finds the end of the file, on the caller, where the poller used to be
     * asked for the missing bytes (a hand-off per whole-file read).
     */
    @Test
    void aWholeFileReadIntoALargerBufferStaysOnTheCaller() throws Exception {
        VirtualThreads.call(() -> {
            try (RingFileChannel channel = open(file, READ)) {
                for (ByteBuffer buffer : new ByteBuffer[] {ByteBuffer.allocateDirect(65536), ByteBuffer.allocate(65536)}) {
                    assertEquals(4096, channel.read(buffer, 0));
                    assertEquals(-1, channel.read(buffer, 4096));
                    assertArrayEquals(Bytes.pattern(7, 4096), contents(buffer));
                }
            }
            return null;
        });
        assertEquals(java.util.List.of(), driver.get().submitted(operation -> true),
                "reads of a cached file to its end reach no driver");
    }

    /** The variant that can block: the rest of a read is not cached, and the caller parks for it. */
    @Test
    void aReadWhoseRestIsNotCachedParksOnThePollerForTheRest() throws Exception {
        byte[] data = Bytes.pattern(3, 8192);
        Path twoPages = Files.write(directory.resolve("two-pages"), Arrays.copyOf(data, 4096));
        Files.readAllBytes(twoPages); // the first page cached
        // The second page written past the page cache: O_DIRECT, which leaves the first page cached
        // (dropping one page with DONT_NEED does not work where the file system caches large folios).
        try (FileChannel direct = FileChannel.open(twoPages, WRITE, DifferentialTest.DIRECT)) {
            ByteBuffer second = ByteBuffer.allocateDirect(8192).alignedSlice(4096).limit(4096);
            second.put(data, 4096, 4096).flip();
            assertEquals(4096, direct.write(second, 4096));
        }
        try (RingFileChannel channel = VirtualThreads.call(() -> open(twoPages, READ))) {
            driver.get().hold(ofKind(Transfer.class));
            ByteBuffer buffer = ByteBuffer.allocateDirect(8192);
            Parked<Integer> reading = Parked.start(() -> channel.read(buffer, 0));
            reading.awaitParked();
            driver.get().release();
            assertEquals(8192, reading.result(), "as much as a blocking pread returns");
            assertArrayEquals(data, contents(buffer));
            assertEquals(1, driver.get().submitted(ofKind(Transfer.class)).size());
        }
    }

    @Test
    void anOpenThatCreatesOrTruncatesParksOnThePoller() throws Exception {
        driver.get().hold(ofKind(Open.class));
        Parked<RingFileChannel> opening = Parked.start(() -> open(file, WRITE, TRUNCATE_EXISTING));
        opening.awaitParked();
        driver.get().release();
        opening.result().close();
        assertEquals(1, driver.get().submitted(ofKind(Open.class)).size());

        Parked<RingFileChannel> creating = Parked.start(() -> open(directory.resolve("new"), WRITE, CREATE));
        creating.result().close();
        assertEquals(2, driver.get().submitted(ofKind(Open.class)).size());
    }

    @Test
    void aWritableChannelClosesOnThePollerAndItsCloserParks() throws Exception {
        RingFileChannel channel = VirtualThreads.call(() -> open(file, READ, WRITE));
        driver.get().hold(ofKind(Close.class));
        Parked<Void> closing = Parked.start(() -> {
            channel.close();
            return null;
        });
        closing.awaitParked();
        driver.get().release();
        closing.result();
        assertFalse(channel.isOpen());
        assertEquals(1, driver.get().submitted(ofKind(Close.class)).size());
    }

    @Test
    void theLastCloseOfAnUnlinkedFileGoesThroughThePoller() throws Exception {
        RingFileChannel channel = VirtualThreads.call(() -> open(file, READ, DELETE_ON_CLOSE));
        assertFalse(Files.exists(file), "DELETE_ON_CLOSE unlinks at once");
        VirtualThreads.call(() -> {
            channel.close();
            return null;
        });
        assertEquals(1, driver.get().submitted(ofKind(Close.class)).size());
    }

    @Test
    void aReadOfUncachedDataParksOnThePoller() throws Exception {
        try (RingFileChannel channel = VirtualThreads.call(() -> open(file, READ))) {
            channel.force(true); // DONT_NEED drops clean pages only
            channel.advise(0, 0, RingFileChannel.Advice.DONT_NEED);
            driver.get().hold(ofKind(Transfer.class));
            Parked<Integer> reading = Parked.start(() -> channel.read(ByteBuffer.allocateDirect(4096), 0));
            reading.awaitParked();
            driver.get().release();
            assertEquals(4096, reading.result());
        }
    }

    /**
     * A file system whose metadata may need its server (here a handle that knows nothing of its file
     * system) answers size() through the poller, where the caller parks.
     */
    @Test
    void sizeOnAFileSystemNotKnownLocalParksOnThePoller() throws Exception {
        try (FileChannel jdk = FileChannel.open(file, READ)) {
            int fd = descriptorOf(jdk);
            FileHandle unknown = new FileHandle(fd, FileHandle.IoMode.BUFFERED, FileType.REGULAR,
                    FileSystemTraits.UNKNOWN, false);
            DescriptorCalls calls = new DescriptorCalls(new DescriptorOperations(poller, unknown, InterruptPolicy.CLOSE_CHANNEL),
                    true);
            driver.get().hold(ofKind(Stat.class));
            Parked<Long> sizing = Parked.start(calls::size);
            sizing.awaitParked();
            driver.get().release();
            assertEquals(4096, sizing.result());
        }
    }

    /** A path none of whose directory entries are cached opens through the poller (needs root). */
    @Test
    void aPathOutOfTheCachesParksOnThePoller() throws Exception {
        Path deep = Files.createDirectories(directory.resolve("a/b/c")).resolve("cold");
        Files.write(deep, Bytes.pattern(9, 100));
        Caches.dropDentriesAndInodes();
        driver.get().hold(ofKind(Open.class));
        Parked<RingFileChannel> opening = Parked.start(() -> open(deep, READ));
        opening.awaitParked();
        driver.get().release();
        opening.result().close();
        Open open = (Open) driver.get().submitted(ofKind(Open.class)).getFirst();
        assertFalse(open.plain(), "a path the look could not see goes to a worker: " + open);
    }

    /** The descriptor number of a JDK channel, found through /proc (a test-only way in). */
    private static int descriptorOf(FileChannel channel) throws IOException {
        long before = channel.position();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).endsWith("data")) {
                        return Integer.parseInt(fd.getFileName().toString());
                    }
                } catch (IOException closedMeanwhile) {
                    // not ours
                }
            }
        }
        throw new IOException("no descriptor of the channel at " + before);
    }

    /** A call made on a virtual thread of its own, which a test can see parked and then wait for. */
    record Parked<T>(Thread thread, FutureTask<T> task) {
        static <T> Parked<T> start(Callable<T> call) {
            FutureTask<T> task = new FutureTask<>(call);
            return new Parked<>(Thread.ofVirtual().name("caller").start(task), task);
        }

        void awaitParked() throws InterruptedException {
            VirtualThreads.awaitParked(thread, 10_000);
            assertTrue(!task.isDone(), "the call returned before its completion was let go");
        }

        T result() throws Exception {
            return task.get(10, TimeUnit.SECONDS);
        }
    }
}
