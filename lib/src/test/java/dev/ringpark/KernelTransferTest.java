package dev.ringpark;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringpark.poller.Operation;
import dev.ringpark.poller.Poller;
import dev.ringpark.poller.Transfer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where {@code transferTo} and {@code transferFrom} send the bytes: between two of Ringpark's
 * channels the kernel moves them ({@code copy_file_range}, {@code sendfile}, {@code splice}), on every
 * driver; the caller parks meanwhile, and a close of either channel or an interrupt ends a transfer
 * that waits on a FIFO. The results themselves are compared with the JDK's in
 * {@code DifferentialTest}; here the operations handed to the driver are looked at.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KernelTransferTest {
    static final int MIB = 1 << 20;
    static final int SIZE = 10_000;

    /** A poller whose driver records every operation handed to it. */
    static Poller poller;
    static final AtomicReference<HoldingDriver> DRIVER = new AtomicReference<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void startPoller() throws Exception {
        poller = HoldingDriver.start(DRIVER);
    }

    private RingFileChannel open(Path path, OpenOption... options) throws IOException {
        return RingFileChannel.open(poller, path, Set.of(options));
    }

    /** The operations {@code action} handed to the driver, by kind. */
    private static List<String> operationsOf(Callable<?> action) throws Exception {
        int before = DRIVER.get().submitted(operation -> true).size();
        action.call();
        List<Operation> all = DRIVER.get().submitted(operation -> true);
        return all.subList(before, all.size()).stream().map(KernelTransferTest::kind).toList();
    }

    private static String kind(Operation operation) {
        return operation instanceof Transfer transfer ? transfer.direction().toString()
                : operation.getClass().getSimpleName();
    }

    private static Predicate<String> copies() {
        return kind -> kind.equals("CopyRange") || kind.equals("SendFile") || kind.equals("Splice");
    }

    @Test
    void transferToAnotherFileIsCopyFileRangeOnePieceAtATime() throws Exception {
        byte[] data = Bytes.pattern(50, 20 * MIB + 5);
        Path source = Files.write(tmp.resolve("source"), data);
        try (RingFileChannel in = open(source, READ); RingFileChannel out = open(tmp.resolve("target"), CREATE, WRITE)) {
            out.position(3);
            long[] moved = new long[1];
            List<String> operations = operationsOf(() -> moved[0] = in.transferTo(1, Long.MAX_VALUE, out));
            assertEquals(data.length - 1, moved[0]);
            assertEquals(List.of("CopyRange", "CopyRange", "CopyRange"), operations, "8 MiB pieces, no reads or writes");
            assertEquals(3 + data.length - 1, out.position(), "the target's position moved past the bytes");
            assertEquals(0, in.position(), "the source's did not");
        }
        byte[] copied = Files.readAllBytes(tmp.resolve("target"));
        assertArrayEquals(Arrays.copyOfRange(data, 1, data.length), Arrays.copyOfRange(copied, 3, copied.length));
    }

    @Test
    void transferFromAnotherFileCopiesFromItsPositionWithCopyFileRange() throws Exception {
        byte[] data = Bytes.pattern(51, 100_000);
        Path source = Files.write(tmp.resolve("source"), data);
        try (RingFileChannel in = open(source, READ); RingFileChannel out = open(tmp.resolve("target"), CREATE, WRITE)) {
            in.position(1000);
            long[] moved = new long[1];
            List<String> operations = operationsOf(() -> moved[0] = out.transferFrom(in, 10, 50_000));
            assertEquals(50_000, moved[0]);
            assertEquals(List.of("CopyRange"), operations);
            assertEquals(51_000, in.position(), "the source's position moved past the bytes");
            assertEquals(0, out.position(), "the target's did not");
        }
        byte[] copied = Files.readAllBytes(tmp.resolve("target"));
        assertArrayEquals(Arrays.copyOfRange(data, 1000, 51_000), Arrays.copyOfRange(copied, 10, copied.length));
    }

    /**
     * tmpfs and the test directory's file system: {@code copy_file_range} says EXDEV, {@code sendfile}
     * copies, at the target's position (which the channel keeps, and sets in the descriptor first:
     * {@code sendfile} writes at the descriptor's offset).
     */
    @Test
    void betweenTwoFileSystemsSendFileCopiesAsTheJdksDoes() throws Exception {
        Path shm = Path.of("/dev/shm");
        Assumptions.assumeTrue(Files.isDirectory(shm) && !Files.getFileStore(shm).equals(Files.getFileStore(tmp)),
                "no /dev/shm on a file system of its own");
        byte[] data = Bytes.pattern(52, 3 * MIB);
        Path source = Files.write(Files.createTempFile(shm, "ringpark-", ""), data);
        try (RingFileChannel in = open(source, READ); RingFileChannel out = open(tmp.resolve("target"), CREATE, WRITE)) {
            out.position(100);
            long[] moved = new long[1];
            List<String> operations = operationsOf(() -> moved[0] = in.transferTo(0, data.length, out));
            assertEquals(data.length, moved[0]);
            assertEquals(List.of("CopyRange", "SendFile"), operations);
            assertEquals(100 + data.length, out.position());
        } finally {
            Files.delete(source);
        }
        byte[] expected = new byte[100 + data.length];
        System.arraycopy(data, 0, expected, 100, data.length);
        assertArrayEquals(expected, Files.readAllBytes(tmp.resolve("target")));
    }

    @Test
    void anAppendingTargetIsCopiedThroughMemoryAsTheJdkDoes() throws Exception {
        Path source = Files.write(tmp.resolve("source"), Bytes.pattern(53, 10_000));
        Path log = Files.write(tmp.resolve("log"), new byte[10]);
        try (RingFileChannel in = open(source, READ); RingFileChannel out = open(log, APPEND)) {
            List<String> operations = operationsOf(() -> in.transferTo(0, 10_000, out));
            assertTrue(operations.stream().noneMatch(copies()), operations.toString());
            assertTrue(operations.contains("WRITE"), operations.toString());
        }
        assertEquals(10_010, Files.size(log));
    }

    @Test
    void aChannelOfAnotherPollerIsCopiedThroughMemory() throws Exception {
        Path source = Files.write(tmp.resolve("source"), Bytes.pattern(54, 10_000));
        try (RingFileChannel in = open(source, READ);
             RingFileChannel out = RingFileChannel.open(tmp.resolve("target"), CREATE, WRITE)) {
            List<String> operations = operationsOf(() -> in.transferTo(0, 10_000, out));
            assertTrue(operations.stream().noneMatch(copies()), operations.toString());
        }
        assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(tmp.resolve("target")));
    }

    // ---------------------------------------------------------------------------------------------
    // FIFOs: splice, which waits for the pipe, parked

    /** A FIFO, held open at both ends by this test so that opens of either end do not wait. */
    private Path fifo(RandomAccessFile[] bothEnds) throws Exception {
        Path fifo = Fifos.make(tmp.resolve("fifo"));
        bothEnds[0] = new RandomAccessFile(fifo.toFile(), "rw");
        return fifo;
    }

    /** An empty pipe has room: no wait, one splice. */
    @Test
    void transferToAFifoIsOneSpliceOfWhatThePipeHasRoomFor() throws Exception {
        Path source = Files.write(tmp.resolve("source"), Bytes.pattern(55, MIB));
        RandomAccessFile[] bothEnds = new RandomAccessFile[1];
        Path fifo = fifo(bothEnds);
        try (RingFileChannel in = open(source, READ); RingFileChannel out = open(fifo, WRITE);
             InputStream reader = new java.io.FileInputStream(fifo.toFile())) {
            long[] moved = new long[1];
            List<String> operations = operationsOf(() -> moved[0] = in.transferTo(0, MIB, out));
            assertEquals(List.of("Splice"), operations);
            assertEquals(65_536, moved[0], "an empty pipe's capacity, as the JDK's sendfile into a pipe");
            assertArrayEquals(Arrays.copyOf(Files.readAllBytes(source), 65_536), reader.readNBytes(65_536));
        } finally {
            bothEnds[0].close();
        }
    }

    @Test
    void transferFromAFifoSplicesUntilItsEnd() throws Exception {
        byte[] data = Bytes.pattern(56, 300_000);
        RandomAccessFile[] bothEnds = new RandomAccessFile[1];
        Path fifo = fifo(bothEnds);
        try (RingFileChannel in = open(fifo, READ); RingFileChannel out = open(tmp.resolve("target"), CREATE, WRITE)) {
            Thread writer = Thread.ofPlatform().start(() -> {
                try (OutputStream stream = new java.io.FileOutputStream(fifo.toFile())) {
                    bothEnds[0].close(); // from now on this stream is the only writer
                    stream.write(data);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            long[] moved = new long[1];
            List<String> operations = operationsOf(() -> moved[0] = out.transferFrom(in, 7, Long.MAX_VALUE));
            writer.join();
            assertEquals(data.length, moved[0]);
            assertTrue(operations.contains("Splice") && operations.stream().allMatch(
                    kind -> kind.equals("Splice") || kind.equals("AwaitReady")), "splices, and waits for the pipe between: "
                    + operations);
            assertEquals(0, out.transferFrom(in, 7, 100), "at the end of the stream");
        }
        byte[] copied = Files.readAllBytes(tmp.resolve("target"));
        assertArrayEquals(data, Arrays.copyOfRange(copied, 7, copied.length));
    }

    /** Runs {@code transfer} in a virtual thread and waits until it parks: it must wait without pinning. */
    private static <T> FutureTask<T> parkedIn(Callable<T> transfer, Thread[] thread) throws Exception {
        FutureTask<T> future = new FutureTask<>(transfer);
        thread[0] = Thread.ofVirtual().start(future);
        VirtualThreads.awaitParked(thread[0], 10_000);
        return future;
    }

    /** Waits until {@code file} holds {@code size} bytes. */
    private static void awaitSize(Path file, long size) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Files.size(file) != size) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file + " still holds " + Files.size(file) + " bytes, not " + size);
            }
            Thread.sleep(1);
        }
    }

    private static Throwable failureOf(FutureTask<?> future) throws InterruptedException {
        try {
            future.get();
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
    }

    @Test
    void closingTheFifoEndsATransferToItThatWaitsForRoom() throws Exception {
        Path source = Files.write(tmp.resolve("source"), Bytes.pattern(57, MIB));
        RandomAccessFile[] bothEnds = new RandomAccessFile[1];
        Path fifo = fifo(bothEnds);
        try (RingFileChannel in = open(source, READ); RingFileChannel out = open(fifo, WRITE)) {
            assertEquals(65_536, in.transferTo(0, MIB, out), "fills the pipe");
            Thread[] caller = new Thread[1];
            FutureTask<Long> transfer = parkedIn(() -> in.transferTo(0, MIB, out), caller);
            FileChannel closedUnderIt = out;
            closedUnderIt.close();
            assertInstanceOf(AsynchronousCloseException.class, failureOf(transfer));
            assertTrue(in.isOpen(), "the source stays open");
        } finally {
            bothEnds[0].close();
        }
    }

    @Test
    void closingEitherChannelEndsATransferFromAFifoThatWaits() throws Exception {
        RandomAccessFile[] bothEnds = new RandomAccessFile[1];
        Path fifo = fifo(bothEnds);
        try {
            for (boolean closeTheFifo : new boolean[] {true, false}) {
                try (RingFileChannel in = open(fifo, READ); RingFileChannel out = open(tmp.resolve("target"), CREATE, WRITE)) {
                    Thread[] caller = new Thread[1];
                    FutureTask<Long> transfer = parkedIn(() -> out.transferFrom(in, 0, 100), caller);
                    FileChannel closed = closeTheFifo ? in : out;
                    closed.close();
                    assertInstanceOf(AsynchronousCloseException.class, failureOf(transfer));
                    assertTrue((closeTheFifo ? out : in).isOpen(), "the other channel stays open");
                }
            }
        } finally {
            bothEnds[0].close();
        }
    }

    /** The JDK's one call into the FIFO: an interrupt closes both channels. */
    @Test
    void anInterruptEndsATransferToAFifoAndClosesBothChannels() throws Exception {
        Path source = Files.write(tmp.resolve("source"), Bytes.pattern(58, MIB));
        RandomAccessFile[] bothEnds = new RandomAccessFile[1];
        Path fifo = fifo(bothEnds);
        try (RingFileChannel in = open(source, READ); RingFileChannel out = open(fifo, WRITE)) {
            assertEquals(65_536, in.transferTo(0, MIB, out), "fills the pipe");
            Thread[] caller = new Thread[1];
            FutureTask<Long> transfer = parkedIn(() -> {
                try {
                    return in.transferTo(0, MIB, out);
                } finally {
                    assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status stays set");
                }
            }, caller);
            caller[0].interrupt();
            assertInstanceOf(ClosedByInterruptException.class, failureOf(transfer));
            assertFalse(in.isOpen());
            assertFalse(out.isOpen());
        } finally {
            bothEnds[0].close();
        }
    }

    /** The JDK's copy loop from a source of size 0: the bytes moved before the interrupt, the FIFO closed. */
    @Test
    void anInterruptAfterSomeBytesFromAFifoReturnsTheirCount() throws Exception {
        RandomAccessFile[] bothEnds = new RandomAccessFile[1];
        Path fifo = fifo(bothEnds);
        try (RingFileChannel in = open(fifo, READ); RingFileChannel out = open(tmp.resolve("target"), CREATE, WRITE)) {
            bothEnds[0].write(Bytes.pattern(59, 5000));
            Thread[] caller = new Thread[1];
            FutureTask<Long> transfer = parkedIn(() -> {
                try {
                    return out.transferFrom(in, 0, 100_000);
                } finally {
                    assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status stays set");
                }
            }, caller);
            // Parked in the first splice on the pool drivers: wait for its bytes, then for the wait after it.
            awaitSize(tmp.resolve("target"), 5000);
            VirtualThreads.awaitParked(caller[0], 10_000);
            caller[0].interrupt();
            assertEquals(5000, transfer.get());
            assertFalse(in.isOpen(), "the FIFO, whose read saw the interrupt, is closed");
            assertTrue(out.isOpen(), "the file is not");
        } finally {
            bothEnds[0].close();
        }
        assertArrayEquals(Bytes.pattern(59, 5000), Files.readAllBytes(tmp.resolve("target")));
    }

    /** The channels behind streams: an interrupt neither cancels nor closes; the transfer completes. */
    @Test
    void anUninterruptibleTransferFromAFifoIgnoresTheInterrupt() throws Exception {
        RandomAccessFile[] bothEnds = new RandomAccessFile[1];
        Path fifo = fifo(bothEnds);
        try (RingFileChannel in = RingFileChannel.openUninterruptible(fifo, Set.of(READ));
             RingFileChannel out = RingFileChannel.openUninterruptible(tmp.resolve("target"), Set.of(CREATE, WRITE))) {
            Thread[] caller = new Thread[1];
            FutureTask<Long> transfer = parkedIn(() -> out.transferFrom(in, 0, 3000), caller);
            caller[0].interrupt();
            Thread.sleep(50);
            assertFalse(transfer.isDone(), "still waiting for the FIFO");
            bothEnds[0].write(Bytes.pattern(60, 3000));
            assertEquals(3000, transfer.get());
            assertTrue(in.isOpen());
            assertTrue(out.isOpen());
        } finally {
            bothEnds[0].close();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // An interrupt that lands in the transfer's own operation, held in the driver until the test says:
    // the JDK closes both channels when an interrupt ends a transfer before a byte of it counted

    /**
     * {@code transferFrom} a JDK file channel, the write into this one held until after the interrupt:
     * the JDK's write sees the interrupt before a byte of the transfer counted, closes this channel,
     * and {@code transferFailed} closes the source too.
     */
    @Test
    void anInterruptDuringTheTransfersOwnWriteClosesTheSourceToo() throws Exception {
        Path source = Files.write(tmp.resolve("source"), Bytes.pattern(42, SIZE));
        try (RingFileChannel ch = RingFileChannel.open(poller, tmp.resolve("data"), Set.of(CREATE, WRITE));
             FileChannel jdkSource = FileChannel.open(source, READ)) {
            assertInterruptClosesBoth(ch, jdkSource, () -> ch.transferFrom(jdkSource, 0, 7000));
        }
    }

    /** {@code transferFrom} another of its own channels, the transfer's operation held. */
    @Test
    void anInterruptDuringATransferFromAnotherOfItsOwnChannelsClosesBoth() throws Exception {
        Path source = Files.write(tmp.resolve("source"), Bytes.pattern(43, SIZE));
        try (RingFileChannel ch = RingFileChannel.open(poller, tmp.resolve("data"), Set.of(CREATE, WRITE));
             RingFileChannel ringSource = RingFileChannel.open(poller, source, Set.of(READ))) {
            assertInterruptClosesBoth(ch, ringSource, () -> ch.transferFrom(ringSource, 0, 7000));
        }
    }

    /** {@code transferTo} another of its own channels, the transfer's operation held. */
    @Test
    void anInterruptDuringATransferToAnotherOfItsOwnChannelsClosesBoth() throws Exception {
        Path data = Files.write(tmp.resolve("data"), Bytes.pattern(44, SIZE));
        try (RingFileChannel ch = RingFileChannel.open(poller, data, Set.of(READ));
             RingFileChannel target = RingFileChannel.open(poller, tmp.resolve("target"), Set.of(CREATE, WRITE))) {
            assertInterruptClosesBoth(ch, target, () -> ch.transferTo(0, SIZE, target));
        }
    }

    /** A transfer, run in a virtual thread whose every operation is held, interrupted while parked. */
    @FunctionalInterface
    interface TransferCall {
        long run() throws Exception;
    }

    private static void assertInterruptClosesBoth(FileChannel ch, FileChannel peer, TransferCall transfer)
            throws Exception {
        HoldingDriver driver = DRIVER.get();
        int before = driver.submitted(operation -> true).size();
        driver.hold(operation -> true);
        AtomicReference<Object> outcome = new AtomicReference<>();
        AtomicReference<Boolean> interruptKept = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                outcome.set(transfer.run());
            } catch (Exception e) {
                outcome.set(e);
            }
            interruptKept.set(Thread.currentThread().isInterrupted());
        });
        try {
            while (driver.submitted(operation -> true).size() == before) {
                Thread.sleep(2);
            }
            VirtualThreads.awaitParked(caller, 10_000);
            caller.interrupt();
        } finally {
            driver.release();
        }
        caller.join();
        assertInstanceOf(ClosedByInterruptException.class, outcome.get(), () -> "outcome " + outcome.get());
        assertTrue(interruptKept.get(), "the interrupt status stays set");
        assertFalse(ch.isOpen(), "the channel is closed");
        assertFalse(peer.isOpen(), "the other channel of the transfer is closed too");
    }
}
