package dev.ringpark;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ringpark.poller.NativeBufferPool;
import dev.ringpark.poller.Poller;
import dev.ringpark.poller.ladder.DriverLadder;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The poller failing under {@link RingFileChannel}s (an error injected into a real io_uring driver):
 * reads parked on a FIFO, in the ring and in the backlog, end with an {@link IOException} naming the
 * error; later calls fail at once with the same cause; {@code close()} still closes every descriptor
 * (counted in {@code /proc/self/fd}) and does not hang, also when it races the failure.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ThisMachine.NeedsDriver(DriverLadder.Rung.IO_URING)
class PollerFailureChannelTest {
    /** 63 slots, 3 kept for cancels: reads of 80 channels fill the ring and leave 20 in the backlog. */
    static final int RING_ENTRIES = 64;
    static final int CHANNELS = 80;
    /** One reader per channel, and 20 more that wait for the position lock of a channel being read. */
    static final int READERS = 100;

    @TempDir
    Path tmp;

    @Test
    void parkedReadsFailWithTheCauseAndCloseStillClosesTheDescriptors() throws Exception {
        AtomicReference<FailingDriver> driver = new AtomicReference<>();
        Poller poller = start(driver);
        Path fifo = Fifos.make(tmp.resolve("fifo"));
        Path file = tmp.resolve("file");
        Files.write(file, Bytes.pattern(1, 8192));
        // Holding both ends lets the channels open at once; their reads park, since no data comes.
        try (RandomAccessFile _ = new RandomAccessFile(fifo.toFile(), "rw")) {
            assertEquals(1, descriptorsOn(fifo), "descriptors on the FIFO before");
            assertEquals(0, descriptorsOn(file), "descriptors on the file before");
            long retiredBefore = NativeBufferPool.shared().retiredBytes();
            List<RingFileChannel> channels = new ArrayList<>();
            for (int i = 0; i < CHANNELS; i++) {
                channels.add(RingFileChannel.open(poller, fifo, Set.of(READ)));
            }
            RingFileChannel regular = RingFileChannel.open(poller, file, Set.of(READ, WRITE));
            assertEquals(1 + CHANNELS, descriptorsOn(fifo), "descriptors on the FIFO with the channels open");
            assertEquals(1, descriptorsOn(file), "descriptors on the file with its channel open");

            ConcurrentLinkedQueue<Throwable> outcomes = new ConcurrentLinkedQueue<>();
            List<Thread> readers = startReaders(channels, outcomes);
            for (Thread reader : readers) {
                VirtualThreads.awaitParked(reader, 10_000);
            }

            IOException injected = new IOException("io_uring_enter failed: EFAULT (injected)");
            driver.get().inject(injected, FailingDriver.Point.AWAIT);
            for (Thread reader : readers) {
                assertTrue(reader.join(Duration.ofSeconds(10)), reader + " still parked after the poller failed");
            }
            assertEquals(readers.size(), outcomes.size());
            for (Throwable outcome : outcomes) {
                assertNamesCause(injected, outcome);
            }
            // Half the readers used heap buffers: the bounce buffers of those whose reads reached the
            // kernel and were never answered are retired (never reused nor freed), not given back.
            long retired = NativeBufferPool.shared().retiredBytes() - retiredBefore;
            System.out.println("poller failure under channels: " + retired + " bytes of bounce buffers retired");
            assertTrue(retired >= 4096 && retired <= (long) READERS / 2 * 4096, "bytes retired: " + retired);

            // Later calls that need the poller fail at once, with the same cause.
            long start = System.nanoTime();
            assertNamesCause(injected, assertThrows(IOException.class,
                    () -> VirtualThreads.call(() -> regular.write(ByteBuffer.wrap(new byte[16]), 0))));
            assertNamesCause(injected, assertThrows(IOException.class,
                    () -> VirtualThreads.call(() -> { regular.force(true); return null; })));
            // Even a read the page cache could answer without the poller.
            assertNamesCause(injected, assertThrows(IOException.class,
                    () -> VirtualThreads.call(() -> regular.read(ByteBuffer.allocate(16), 0))));
            assertNamesCause(injected, assertThrows(IOException.class,
                    () -> VirtualThreads.call(() -> RingFileChannel.open(poller, file, Set.of(READ)))));
            assertNamesCause(injected, assertThrows(IOException.class,
                    () -> VirtualThreads.call(() -> channels.getFirst().read(ByteBuffer.allocate(16)))));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 2000, "five calls on the failed poller took " + millis + " ms");

            // close() closes the descriptor without the poller, and returns.
            ConcurrentLinkedQueue<Throwable> closeFailures = new ConcurrentLinkedQueue<>();
            closeAll(channels, List.of(regular), closeFailures);
            assertTrue(closeFailures.isEmpty(), "close failed: " + closeFailures);
            for (RingFileChannel channel : channels) {
                assertFalse(channel.isOpen());
            }
            assertEquals(1, descriptorsOn(fifo), "descriptors on the FIFO after closing every channel");
            assertEquals(0, descriptorsOn(file), "descriptors on the file after closing its channel");
        }
    }

    @Test
    void closesRacingTheFailureNeitherHangNorLeakDescriptors() throws Exception {
        for (int round = 0; round < 5; round++) {
            AtomicReference<FailingDriver> driver = new AtomicReference<>();
            Poller poller = start(driver);
            Path fifo = Fifos.make(tmp.resolve("fifo-" + round));
            try (RandomAccessFile _ = new RandomAccessFile(fifo.toFile(), "rw")) {
                List<RingFileChannel> channels = new ArrayList<>();
                for (int i = 0; i < CHANNELS; i++) {
                    channels.add(RingFileChannel.open(poller, fifo, Set.of(READ)));
                }
                ConcurrentLinkedQueue<Throwable> outcomes = new ConcurrentLinkedQueue<>();
                List<Thread> readers = startReaders(channels, outcomes);
                for (Thread reader : readers) {
                    VirtualThreads.awaitParked(reader, 10_000);
                }
                IOException injected = new IOException("injected failure, round " + round);
                ConcurrentLinkedQueue<Throwable> closeFailures = new ConcurrentLinkedQueue<>();
                // Half the channels are closed just before the failure, half while it happens.
                Thread closers = Thread.ofVirtual().start(() -> closeAll(channels.subList(0, CHANNELS / 2),
                        List.of(), closeFailures));
                Thread.sleep(round); // vary the overlap a little
                driver.get().inject(injected, FailingDriver.Point.AWAIT);
                closeAll(channels.subList(CHANNELS / 2, CHANNELS), List.of(), closeFailures);
                assertTrue(closers.join(Duration.ofSeconds(20)), "closers hang");
                // A close whose close(fd) the kernel consumed when the poller failed reports the
                // failure and is not repeated (its number may belong to another file by then).
                for (Throwable closeFailure : closeFailures) {
                    assertNamesCause(injected, closeFailure);
                }
                for (Thread reader : readers) {
                    assertTrue(reader.join(Duration.ofSeconds(10)), reader + " still parked");
                }
                for (Throwable outcome : outcomes) {
                    // Closed first: AsynchronousCloseException, a ClosedChannelException, as the JDK's.
                    if (!(outcome instanceof ClosedChannelException)) {
                        assertNamesCause(injected, outcome);
                    }
                }
                assertEquals(readers.size(), outcomes.size());
                // A close the kernel never saw fell back to close(2); one it consumed was run by the
                // kernel (io_uring closes at submission). Either way no descriptor is left.
                int left = descriptorsOn(fifo);
                assertEquals(1, left, "round " + round + ": descriptors on the FIFO after close, "
                        + closeFailures.size() + " closes reported the failure");
            }
        }
    }

    /**
     * The poller fails after the kernel has run a channel's {@code close(fd)} but before the poller
     * reaped its completion. The descriptor number is free again, and something else in the process
     * may hold it by the time the channel's {@code close()} hears of the failure; {@code close()} must
     * then not close that number a second time. Here a file opened meanwhile (as any other thread
     * might) gets the number; it must stay open.
     */
    @Test
    void aCloseTheKernelAlreadyRanIsNotRepeatedOnAnotherFile() throws Exception {
        AtomicReference<FailingDriver> driver = new AtomicReference<>();
        Poller poller = start(driver);
        Path file = tmp.resolve("closed-by-the-ring");
        Path victim = tmp.resolve("opened-meanwhile");
        Files.write(file, Bytes.pattern(2, 100));
        Files.write(victim, Bytes.pattern(3, 100));
        // Writable, so that its close goes through the poller (a read-only one closes on the caller).
        RingFileChannel channel = RingFileChannel.open(poller, file, Set.of(READ, WRITE));
        int fd = descriptorNumberOf(file);
        List<java.io.FileInputStream> opened = new ArrayList<>();
        AtomicReference<java.io.FileInputStream> reused = new AtomicReference<>();
        IOException injected = new IOException("injected after the kernel closed fd " + fd);
        driver.get().failOnCompletionOf(op -> op instanceof dev.ringpark.poller.Close close && close.fd() == fd,
                () -> {
                    // The kernel has closed fd: open files until one of them gets that number.
                    try {
                        for (int i = 0; i < 1000 && reused.get() == null; i++) {
                            java.io.FileInputStream in = new java.io.FileInputStream(victim.toFile());
                            if (victim.toString().equals(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString())) {
                                reused.set(in);
                            } else {
                                opened.add(in);
                            }
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, injected);
        try {
            Thread closer = Thread.ofVirtual().start(() -> {
                try {
                    channel.close();
                } catch (IOException e) {
                    // reported below through the victim's state
                }
            });
            assertTrue(closer.join(Duration.ofSeconds(10)), "close() hangs");
            assertFalse(channel.isOpen());
            java.io.FileInputStream in = reused.get();
            assertTrue(in != null, "no file got descriptor " + fd + " again");
            byte[] first = new byte[10];
            try {
                assertEquals(10, in.read(first));
            } catch (IOException e) {
                fail("the file that reused descriptor " + fd + " after the ring closed it was closed by the "
                        + "channel's close() falling back to close(2) on the failed poller: " + e, e);
            }
        } finally {
            for (java.io.FileInputStream in : opened) {
                in.close();
            }
            if (reused.get() != null) {
                try {
                    reused.get().close();
                } catch (IOException ignored) {
                    // already closed by the bug this test looks for
                }
            }
        }
    }

    /** The number of the one descriptor of this process that refers to {@code path}. */
    static int descriptorNumberOf(Path path) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            List<Integer> numbers = fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals(path.toString());
                } catch (IOException e) {
                    return false;
                }
            }).map(fd -> Integer.parseInt(fd.getFileName().toString())).toList();
            assertEquals(1, numbers.size(), "descriptors on " + path + ": " + numbers);
            return numbers.getFirst();
        }
    }

    // ------------------------------------------------------------------ helpers

    static Poller start(AtomicReference<FailingDriver> driver) throws IOException {
        return Poller.start("failing-channel-poller", () -> {
            FailingDriver failing = new FailingDriver(DriverLadder.forced(DriverLadder.Rung.IO_URING, new DriverLadder.Settings(RING_ENTRIES, 1, 0)).get());
            driver.set(failing);
            return failing;
        });
    }

    /** Readers of FIFOs that get no data: each records the exception its read ends with. */
    static List<Thread> startReaders(List<RingFileChannel> channels, ConcurrentLinkedQueue<Throwable> outcomes) {
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            RingFileChannel channel = channels.get(i % channels.size());
            boolean direct = i % 2 == 1;
            readers.add(Thread.ofVirtual().name("reader-" + i).start(() -> {
                ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(4096) : ByteBuffer.allocate(4096);
                try {
                    int n = channel.read(buffer);
                    outcomes.add(new AssertionError("a read of an idle FIFO returned " + n));
                } catch (Throwable t) {
                    outcomes.add(t);
                }
            }));
        }
        return readers;
    }

    /** Closes the channels, each from a virtual thread of its own, with a bound on the wait. */
    static void closeAll(List<RingFileChannel> channels, List<RingFileChannel> more,
                         ConcurrentLinkedQueue<Throwable> failures) {
        List<Thread> closers = Stream.concat(channels.stream(), more.stream())
                .map(channel -> Thread.ofVirtual().start(() -> {
                    try {
                        channel.close();
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                })).toList();
        try {
            for (Thread closer : closers) {
                assertTrue(closer.join(Duration.ofSeconds(10)), "close() hangs on a failed poller");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static void assertNamesCause(Throwable injected, Throwable outcome) {
        if (!(outcome instanceof IOException)) {
            fail("expected an IOException naming " + injected + ", got " + outcome, outcome);
        }
        boolean found = false;
        for (Throwable t = outcome; t != null; t = t.getCause()) {
            found |= t == injected;
        }
        assertTrue(found, () -> "the cause chain of " + outcome + " lacks " + injected);
        assertTrue(outcome.getMessage() != null && outcome.getMessage().contains(injected.getMessage()),
                () -> "message '" + outcome.getMessage() + "' does not name '" + injected.getMessage() + "'");
    }

    /**
     * How many of this process's descriptors refer to {@code path}. (Counting by target, not in
     * total: the JDK closes the pipes of finished child processes such as mkfifo at any moment.)
     */
    static int descriptorsOn(Path path) throws IOException {
        String target = path.toString();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals(target);
                } catch (IOException e) {
                    return false; // closed meanwhile (the listing's own descriptor, for one)
                }
            }).count();
        }
    }
}
