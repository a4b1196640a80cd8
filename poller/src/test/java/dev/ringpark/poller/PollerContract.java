package dev.ringpark.poller;

import dev.ringpark.poller.ladder.DriverLadder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The poller end to end on a real driver (each subclass names one) with room for only 8 operations,
 * so that the backlog and the in-flight bound are exercised.
 * Timeouts run on a separate thread: a hung close waits uninterruptibly, by design.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PollerContract {
    static final int RING_ENTRIES = 8;
    Poller poller;
    private Arena arena;

    @TempDir
    Path directory;

    /** The driver under test. */
    abstract DriverLadder.Rung rung();

    /** How long the poller looks for the next hand-off before sleeping (see {@link Poller#start}). */
    long spinNanos() {
        return 0;
    }

    @BeforeAll
    void startPoller() throws IOException {
        poller = Poller.start("test-poller-" + rung().label(),
                DriverLadder.forced(rung(), new DriverLadder.Settings(RING_ENTRIES, 2, 0)), spinNanos());
        arena = Arena.ofShared();
    }

    @AfterAll
    void releaseMemory() {
        arena.close();
    }

    private static final OpenMode READ_ONLY = mode(OpenMode.Access.READ, OpenMode.Creation.EXISTING, false);
    private static final OpenMode CREATE = mode(OpenMode.Access.READ_WRITE, OpenMode.Creation.CREATE, false);
    private static final OpenMode CREATE_DIRECT = mode(OpenMode.Access.READ_WRITE, OpenMode.Creation.CREATE, true);

    private static OpenMode mode(OpenMode.Access access, OpenMode.Creation creation, boolean direct) {
        return new OpenMode(access, creation, false, false, false, false, direct, true, 0644);
    }

    private int open(Path file, OpenMode mode) throws IOException {
        return open(file, mode, true);
    }

    private int open(Path file, OpenMode mode, boolean plain) throws IOException {
        MemorySegment path = arena.allocateFrom(file.toString(), StandardCharsets.UTF_8);
        int fd = poller.execute(new Open(path, mode, plain));
        assertTrue(fd >= 0, () -> "open: " + Errno.describe(-fd));
        return fd;
    }

    /** A handle on {@code fd} about whose file nothing is known: every call goes through the poller. */
    static FileHandle handle(int fd, FileHandle.IoMode ioMode) {
        return new FileHandle(fd, ioMode, FileType.UNKNOWN, FileSystemTraits.UNKNOWN, true);
    }

    @Test
    void runsTheDriverAskedFor() {
        assertEquals(rung().label(), poller.driverName());
    }

    @Test
    void anOperationReturnsTheSystemCallsResult() throws IOException {
        assertEquals(-Errno.EBADF, poller.execute(new Close(-1)));
    }

    /** Both kinds of open, the plain one (inline on io_uring) and the one that may wait (on a worker). */
    @ParameterizedTest(name = "plain open: {0}")
    @ValueSource(booleans = {true, false})
    void writesThenReadsThroughTheRing(boolean plainOpen) throws IOException {
        FileHandle handle = handle(open(directory.resolve("data-" + plainOpen), CREATE, plainOpen), FileHandle.IoMode.BUFFERED);
        MemorySegment out = arena.allocateFrom("ringpark", StandardCharsets.UTF_8);
        MemorySegment in = arena.allocate(8);
        assertEquals(8, poller.execute(new Transfer(handle, Transfer.Direction.WRITE, out.address(), 8, 0)));
        assertEquals(8, poller.execute(new Transfer(handle, Transfer.Direction.READ, in.address(), 8, 0)));
        assertEquals("ringpark", new String(in.toArray(JAVA_BYTE), StandardCharsets.UTF_8));
        assertEquals(0, poller.execute(new Close(handle.fd())));
    }

    /**
     * 64 O_DIRECT writers and readers, and an fsync each, on 8 entries: on the AIO driver these are
     * the requests that go through {@code io_submit}, not the pool, so the context fills and drains.
     */
    @Test
    void directTransfersAndFsyncCompleteWithTheirOwnData() throws Exception {
        int blocks = 64;
        int blockBytes = 4096;
        FileHandle handle = handle(open(ThisMachine.directIoDirectory(directory).resolve("direct"), CREATE_DIRECT),
                FileHandle.IoMode.DIRECT);
        MemorySegment memory = arena.allocate((long) blocks * 2 * blockBytes, blockBytes);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < blocks; i++) {
                int block = i;
                outcomes.add(executor.submit(() -> {
                    MemorySegment out = memory.asSlice((long) block * 2 * blockBytes, blockBytes);
                    MemorySegment in = memory.asSlice(((long) block * 2 + 1) * blockBytes, blockBytes);
                    out.fill((byte) block);
                    long offset = (long) block * blockBytes;
                    int wrote = poller.execute(new Transfer(handle, Transfer.Direction.WRITE, out.address(), blockBytes,
                            offset));
                    int synced = poller.execute(new Sync(handle, true));
                    int read = poller.execute(new Transfer(handle, Transfer.Direction.READ, in.address(), blockBytes,
                            offset));
                    boolean same = in.mismatch(out) == -1;
                    return wrote + " " + synced + " " + read + " " + same;
                }));
            }
            for (Future<String> outcome : outcomes) {
                assertEquals(blockBytes + " 0 " + blockBytes + " true", outcome.get());
            }
        } finally {
            assertEquals(0, poller.execute(new Close(handle.fd())));
        }
    }

    @Test
    void farMoreOperationsThanTheRingHoldsAllCompleteWithTheirOwnData() throws Exception {
        Path file = directory.resolve("blocks");
        byte[] content = new byte[64 * 1024];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i / 1024);
        }
        Files.write(file, content);
        FileHandle handle = handle(open(file, READ_ONLY), FileHandle.IoMode.BUFFERED);
        AtomicInteger wrong = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 1000; t++) {
            int block = t % 64;
            threads.add(Thread.ofVirtual().start(() -> {
                try (Arena local = Arena.ofConfined()) {
                    MemorySegment buffer = local.allocate(1024);
                    for (int k = 0; k < 20; k++) {
                        int n = poller.execute(new Transfer(handle, Transfer.Direction.READ, buffer.address(), 1024,
                                block * 1024L));
                        if (n != 1024 || buffer.get(JAVA_BYTE, 0) != (byte) block
                                || buffer.get(JAVA_BYTE, 1023) != (byte) block) {
                            wrong.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    wrong.incrementAndGet();
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(0, wrong.get());
        poller.execute(new Close(handle.fd()));
    }

    @Test
    void interruptingAParkedCallerCancelsItsOperationAndKeepsTheInterrupt() throws Exception {
        int[] pipe = Pipes.open();
        FileHandle reader = handle(pipe[0], FileHandle.IoMode.STREAM);
        MemorySegment buffer = arena.allocate(16);
        int[] result = new int[1];
        boolean[] interrupted = new boolean[1];
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                result[0] = poller.execute(new Transfer(reader, Transfer.Direction.READ, buffer.address(), 16, -1));
            } catch (IOException e) {
                result[0] = Integer.MIN_VALUE;
            }
            interrupted[0] = Thread.currentThread().isInterrupted();
        });
        awaitParked(caller);
        caller.interrupt();
        caller.join();
        assertTrue(result[0] == -Errno.ECANCELED || result[0] == -Errno.EINTR, "result " + result[0]);
        assertTrue(interrupted[0]);
        Pipes.close(pipe);
    }

    @Test
    void cancelAllReleasesEveryCallerParkedOnAHandle() throws Exception {
        int[] pipe = Pipes.open();
        FileHandle reader = handle(pipe[0], FileHandle.IoMode.STREAM);
        List<Thread> callers = new ArrayList<>();
        AtomicInteger cancelled = new AtomicInteger();
        for (int i = 0; i < 20; i++) { // more than the ring holds: the slots fill up and the rest wait
            callers.add(Thread.ofVirtual().start(() -> {
                if (!reader.enter()) {
                    cancelled.incrementAndGet();
                    return;
                }
                try (Arena local = Arena.ofConfined()) {
                    MemorySegment buffer = local.allocate(16);
                    int n = poller.execute(new Transfer(reader, Transfer.Direction.READ, buffer.address(), 16, -1));
                    if (n == -Errno.ECANCELED) {
                        cancelled.incrementAndGet();
                    }
                } catch (IOException e) {
                    throw new AssertionError(e);
                } finally {
                    reader.exit();
                }
            }));
        }
        callers.forEach(PollerContract::awaitParked);
        assertTrue(reader.beginClose());
        poller.cancelAll(reader);
        reader.awaitIdle();
        for (Thread caller : callers) {
            caller.join();
        }
        assertEquals(20, cancelled.get());
        Pipes.close(pipe);
    }

    // ---------------------------------------------------------------- the kernel copies between descriptors

    private FileHandle fileWith(String name, byte[] content) throws IOException {
        Path file = directory.resolve(name);
        Files.write(file, content);
        return handle(open(file, CREATE), FileHandle.IoMode.BUFFERED);
    }

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 7 + 3);
        }
        return bytes;
    }

    @Test
    void copyRangeCopiesBetweenFilesAtTheOffsetsGiven() throws IOException {
        byte[] content = pattern(100_000);
        FileHandle source = fileWith("copy-source", content);
        FileHandle target = fileWith("copy-target", new byte[0]);
        assertEquals(60_000, poller.execute(new CopyRange(source, 40_000, target, 5, 1_000_000)));
        assertEquals(0, poller.execute(new CopyRange(source, 100_000, target, 0, 10)), "at the end of the source");
        byte[] copied = Files.readAllBytes(directory.resolve("copy-target"));
        assertEquals(60_005, copied.length);
        assertEquals(java.util.Arrays.toString(java.util.Arrays.copyOfRange(content, 40_000, 100_000)),
                java.util.Arrays.toString(java.util.Arrays.copyOfRange(copied, 5, 60_005)));
        poller.execute(new Close(source.fd()));
        poller.execute(new Close(target.fd()));
    }

    @Test
    void sendFileWritesAtTheTargetsFilePosition() throws IOException {
        FileHandle source = fileWith("send-source", pattern(1000));
        FileHandle target = fileWith("send-target", new byte[0]);
        assertEquals(300, poller.execute(new SendFile(source, 700, target, 500)));
        assertEquals(200, poller.execute(new SendFile(source, 0, target, 200)), "after the first, at the position");
        byte[] sent = Files.readAllBytes(directory.resolve("send-target"));
        assertEquals(500, sent.length);
        assertEquals(pattern(1000)[700], sent[0]);
        assertEquals(pattern(1000)[0], sent[300]);
        poller.execute(new Close(source.fd()));
        poller.execute(new Close(target.fd()));
    }

    @Test
    void spliceMovesAFileIntoAPipeAndOutAgain() throws IOException {
        byte[] content = pattern(10_000);
        FileHandle source = fileWith("splice-source", content);
        FileHandle target = fileWith("splice-target", new byte[0]);
        int[] pipe = Pipes.open();
        FileHandle reader = handle(pipe[0], FileHandle.IoMode.STREAM);
        FileHandle writer = handle(pipe[1], FileHandle.IoMode.STREAM);
        assertEquals(6000, poller.execute(new Splice(source, 4000, writer, Splice.STREAM, 1_000_000)));
        assertEquals(6000, poller.execute(new Splice(reader, Splice.STREAM, target, 100, 1_000_000)));
        byte[] spliced = Files.readAllBytes(directory.resolve("splice-target"));
        assertEquals(6100, spliced.length);
        assertEquals(content[4000], spliced[100]);
        assertEquals(content[9999], spliced[6099]);
        Pipes.close(pipe);
        poller.execute(new Close(source.fd()));
        poller.execute(new Close(target.fd()));
    }

    @Test
    void aSpliceFromAPipeWithoutAWriterEndsAtItsEnd() throws IOException {
        FileHandle target = fileWith("splice-end", new byte[0]);
        int[] pipe = Pipes.open();
        Pipes.closeEnd(pipe[1]);
        FileHandle reader = handle(pipe[0], FileHandle.IoMode.STREAM);
        assertEquals(0, poller.execute(new Splice(reader, Splice.STREAM, target, 0, 4096)));
        Pipes.closeEnd(pipe[0]);
        poller.execute(new Close(target.fd()));
    }

    /** A splice never waits for its pipe: an empty one with a writer, or a full one, answers EAGAIN. */
    @Test
    void aSpliceNeverWaitsForItsPipe() throws IOException {
        FileHandle file = fileWith("splice-nowait", pattern(200_000));
        int[] pipe = Pipes.open();
        FileHandle reader = handle(pipe[0], FileHandle.IoMode.STREAM);
        FileHandle writer = handle(pipe[1], FileHandle.IoMode.STREAM);
        assertEquals(-Errno.EAGAIN, poller.execute(new Splice(reader, Splice.STREAM, file, 0, 4096)), "empty");
        assertTrue(poller.execute(new Splice(file, 0, writer, Splice.STREAM, 200_000)) > 0, "fills the pipe");
        assertEquals(-Errno.EAGAIN, poller.execute(new Splice(file, 0, writer, Splice.STREAM, 4096)), "full");
        assertTrue((poller.execute(new AwaitReady(reader, AwaitReady.Event.READABLE, file)) & 1) != 0, "POLLIN");
        Pipes.close(pipe);
        poller.execute(new Close(file.fd()));
    }

    /** The wait before a splice, for an empty pipe, interrupted: cancelled, and the interrupt kept. */
    @Test
    void interruptingAWaitForAPipeCancelsIt() throws Exception {
        FileHandle target = fileWith("splice-interrupted", new byte[0]);
        int[] pipe = Pipes.open();
        FileHandle reader = handle(pipe[0], FileHandle.IoMode.STREAM);
        int[] result = new int[1];
        boolean[] interrupted = new boolean[1];
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                result[0] = poller.execute(new AwaitReady(reader, AwaitReady.Event.READABLE, target));
            } catch (IOException e) {
                result[0] = Integer.MIN_VALUE;
            }
            interrupted[0] = Thread.currentThread().isInterrupted();
        });
        awaitParked(caller);
        caller.interrupt();
        caller.join();
        assertEquals(-Errno.ECANCELED, result[0]);
        assertTrue(interrupted[0]);
        Pipes.close(pipe);
        poller.execute(new Close(target.fd()));
    }

    /**
     * Closing the file end of transfers that wait for a full pipe's room cancels their waits: a close
     * of either handle of a transfer cancels its operations, also those handed over once it began.
     */
    @Test
    void closingTheOtherEndCancelsWaitsForAPipe() throws Exception {
        FileHandle source = fileWith("splice-closed", pattern(200_000));
        int[] pipe = Pipes.open();
        FileHandle writer = handle(pipe[1], FileHandle.IoMode.STREAM);
        assertTrue(poller.execute(new Splice(source, 0, writer, Splice.STREAM, 200_000)) > 0, "fills the pipe");
        List<Thread> callers = new ArrayList<>();
        AtomicInteger cancelled = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            callers.add(Thread.ofVirtual().start(() -> {
                if (!source.enter()) {
                    cancelled.incrementAndGet();
                    return;
                }
                try {
                    int n = poller.execute(new AwaitReady(writer, AwaitReady.Event.WRITABLE, source));
                    if (n == -Errno.ECANCELED) {
                        cancelled.incrementAndGet();
                    }
                } catch (IOException e) {
                    throw new AssertionError(e);
                } finally {
                    source.exit();
                }
            }));
        }
        callers.forEach(PollerContract::awaitParked);
        assertTrue(source.beginClose());
        poller.cancelAll(source);
        source.awaitIdle();
        for (Thread caller : callers) {
            caller.join();
        }
        assertEquals(3, cancelled.get());
        assertEquals(-Errno.ECANCELED, poller.execute(new AwaitReady(writer, AwaitReady.Event.WRITABLE, source)),
                "handed over once the close began");
        assertEquals(-Errno.ECANCELED, poller.execute(new Splice(source, 0, writer, Splice.STREAM, 10)),
                "handed over once the close began");
        Pipes.close(pipe);
        poller.execute(new Close(source.fd()));
    }

    /** A read of a pipe nobody writes, bounded by a deadline {@code millis} from now. */
    private static Transfer idleRead(FileHandle reader, MemorySegment buffer, long millis) {
        Operation read = new Transfer(reader, Transfer.Direction.READ, buffer.address(), (int) buffer.byteSize(), -1);
        return (Transfer) read.setDeadlineNanos(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void anOperationStillWaitingAtItsDeadlineIsCancelledThenAndItsCallerNotInterrupted() throws Exception {
        int[] pipe = Pipes.open();
        try {
            FileHandle reader = handle(pipe[0], FileHandle.IoMode.STREAM);
            MemorySegment buffer = arena.allocate(16);
            long start = System.nanoTime();
            int result = poller.execute(idleRead(reader, buffer, 100));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(-Errno.ECANCELED, result);
            assertTrue(tookMillis >= 100 && tookMillis < 2_000, "took " + tookMillis + " ms");
            assertFalse(Thread.currentThread().isInterrupted());
        } finally {
            Pipes.close(pipe);
        }
    }

    @Test
    void anOperationDoneBeforeItsDeadlineReturnsItsResult() throws Exception {
        int[] pipe = Pipes.open();
        try (Arena local = Arena.ofConfined()) {
            FileHandle reader = handle(pipe[0], FileHandle.IoMode.STREAM);
            FileHandle writer = handle(pipe[1], FileHandle.IoMode.STREAM);
            MemorySegment out = local.allocateFrom("deadline", StandardCharsets.UTF_8);
            assertEquals(8, poller.execute(new Transfer(writer, Transfer.Direction.WRITE, out.address(), 8, -1)));
            MemorySegment in = local.allocate(8);
            assertEquals(8, poller.execute(idleRead(reader, in, 10_000)));
            assertEquals("deadline", new String(in.toArray(JAVA_BYTE), StandardCharsets.UTF_8));
        } finally {
            Pipes.close(pipe);
        }
    }

    /**
     * More deadline-bound reads than the ring holds: those in the driver time out there (on io_uring
     * each is two submission entries, so the batch overflows the 8-entry queue and is submitted in
     * parts), those in the backlog when their deadline passes time out there, and the ones admitted
     * after their deadline time out at once.
     */
    @Test
    void moreDeadlineBoundOperationsThanTheRingHoldsAllTimeOut() throws Exception {
        int[] pipe = Pipes.open();
        try {
            FileHandle reader = handle(pipe[0], FileHandle.IoMode.STREAM);
            List<Thread> callers = new ArrayList<>();
            AtomicInteger timedOut = new AtomicInteger();
            for (int i = 0; i < 20; i++) {
                callers.add(Thread.ofVirtual().start(() -> {
                    try (Arena local = Arena.ofConfined()) {
                        int n = poller.execute(idleRead(reader, local.allocate(16), 200));
                        if (n == -Errno.ECANCELED) {
                            timedOut.incrementAndGet();
                        }
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            for (Thread caller : callers) {
                assertTrue(caller.join(Duration.ofSeconds(10)), "a caller did not return: " + caller.getState());
            }
            assertEquals(20, timedOut.get());
            assertEquals(-Errno.EBADF, poller.execute(new Close(-1)), "the poller still works");
        } finally {
            Pipes.close(pipe);
        }
    }

    /** Interrupt and deadline together ask for one cancellation, and the interrupt status is kept. */
    @Test
    void anInterruptBeforeTheDeadlineCancelsOnceAndKeepsTheInterrupt() throws Exception {
        int[] pipe = Pipes.open();
        try {
            FileHandle reader = handle(pipe[0], FileHandle.IoMode.STREAM);
            MemorySegment buffer = arena.allocate(16);
            int[] result = new int[1];
            boolean[] interrupted = new boolean[1];
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    result[0] = poller.execute(idleRead(reader, buffer, 60_000));
                } catch (IOException e) {
                    result[0] = Integer.MIN_VALUE;
                }
                interrupted[0] = Thread.currentThread().isInterrupted();
            });
            awaitParked(caller);
            caller.interrupt();
            assertTrue(caller.join(Duration.ofSeconds(10)), "the interrupted caller did not return");
            assertTrue(result[0] == -Errno.ECANCELED || result[0] == -Errno.EINTR, "result " + result[0]);
            assertTrue(interrupted[0]);
        } finally {
            Pipes.close(pipe);
        }
    }

    static void awaitParked(Thread thread) {
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            LockSupport.parkNanos(1_000_000);
        }
    }
}
