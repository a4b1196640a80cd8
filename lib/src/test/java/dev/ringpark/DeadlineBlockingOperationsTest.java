package dev.ringpark;

import dev.ringpark.poller.Close;
import dev.ringpark.poller.Open;
import dev.ringpark.poller.OpenMode;
import dev.ringpark.poller.Poller;
import dev.ringpark.poller.Sync;
import dev.ringpark.poller.ladder.DriverLadder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The calls that take a deadline, blocked, made by a virtual thread: the five cases of the JDK's
 * {@code test/jdk/java/nio/channels/vthread/BlockingChannelOps.java}, for a read, a write and a
 * force, with and without {@link RingOpenOption#INTERRUPT_CANCELS_CALL}. Each call (1) completes at
 * once when it can, (2) parks until it can and then completes, (3) ends promptly when the channel is
 * closed, (4) ends promptly when its thread is interrupted (closing the channel, or cancelling the
 * call alone with the option), (5) ends at its deadline with {@link InterruptedByTimeoutException},
 * the channel open. Whatever stops a transfer, the bytes it reports moved are exactly those the peer
 * gets, and a stopped read consumes nothing.
 *
 * <p>Reads and writes block on a FIFO. What makes a force wait depends on where its {@code fsync}
 * runs: on io_uring and on the thread pool, behind a FIFO's open holding the only worker (one io-wq
 * worker, one pool thread) of a poller of the test's own; without native access, behind locks of a
 * region another process holds, waiting on every thread of the JDK-channel pool; all of these are real queues, from which a cancel
 * takes the {@code fsync}. On Linux AIO an {@code fsync} goes to the kernel at once and cannot be
 * cancelled ({@code io_cancel} refuses): its completion is held back by the test's driver, and what
 * is checked there is the documented outcome, that the call waits for the {@code fsync} and returns.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeadlineBlockingOperationsTest {
    /** How long a call woken by close, interrupt or its deadline may take to return. */
    static final Duration PROMPTLY = Duration.ofSeconds(3);
    /** A deadline no test reaches. */
    static final Duration NEVER = Duration.ofMinutes(5);
    /** The deadline of the calls that time out. */
    static final Duration SHORT = Duration.ofMillis(300);
    /** What a blocking write tries to write: more than a pipe holds (64 KiB), so it parks part-way. */
    static final int BIG = 1 << 20;

    /** With and without the option. */
    enum Interrupts {
        CLOSE_CHANNEL(), CANCEL_CALL(RingOpenOption.INTERRUPT_CANCELS_CALL);

        final OpenOption[] options;

        Interrupts(OpenOption... options) {
            this.options = options;
        }
    }

    enum Call { READ, WRITE, FORCE }

    static Stream<Arguments> everyCall() {
        List<Arguments> all = new ArrayList<>();
        for (Call call : Call.values()) {
            for (Interrupts interrupts : Interrupts.values()) {
                all.add(Arguments.of(call, interrupts));
            }
        }
        return all.stream();
    }

    @TempDir
    Path tmp;

    private Rig rig;

    @AfterEach
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void closeEverything() throws Exception {
        if (rig != null) {
            rig.tearDown();
        }
    }

    /** The mode the run is in: which driver, or none without native access. */
    static String mode() throws IOException {
        return Ringpark.offloaded() ? "offloaded" : Ringpark.driver().driver();
    }

    Rig rig(Call call, Interrupts interrupts) throws Exception {
        rig = switch (call) {
            case READ -> new ReadRig(tmp, interrupts);
            case WRITE -> new WriteRig(tmp, interrupts);
            case FORCE -> ForceRig.start(tmp, interrupts);
        };
        return rig;
    }

    // ---------------------------------------------------------------- the five cases

    @ParameterizedTest(name = "{0} ({1}): completes without blocking when it can")
    @MethodSource("everyCall")
    void completesWithoutBlocking(Call call, Interrupts interrupts) throws Exception {
        Rig rig = rig(call, interrupts);
        rig.makeReady();
        Outcome outcome = rig.start(NEVER).join();
        assertEquals(rig.readyResult(), outcome.result(), "what the call returned: " + outcome);
        rig.checkTransferred(outcome.result());
    }

    @ParameterizedTest(name = "{0} ({1}): parks until it can, then completes")
    @MethodSource("everyCall")
    void blocksThenCompletes(Call call, Interrupts interrupts) throws Exception {
        Rig rig = rig(call, interrupts);
        rig.makeBlocking();
        Running running = rig.start(NEVER);
        running.awaitParked();
        Thread.sleep(100);
        assertFalse(running.task().isDone(), "the call returned before it could complete");
        rig.unblock();
        Outcome outcome = running.join();
        assertEquals(rig.unblockedResult(), outcome.result(), "what the call returned: " + outcome);
        rig.checkTransferred(outcome.result());
    }

    @ParameterizedTest(name = "{0} ({1}): parked when the channel closes, ends promptly")
    @MethodSource("everyCall")
    void closeEndsAParkedCall(Call call, Interrupts interrupts) throws Exception {
        Rig rig = rig(call, interrupts);
        rig.makeBlocking();
        Running running = rig.start(NEVER);
        running.awaitParked();
        rig.awaitInDriver();
        // On a thread of its own: close waits for the calls in flight, and an fsync AIO cannot cancel
        // only ends when the test lets it.
        Thread closer = Thread.ofVirtual().name("closer").start(() -> {
            try {
                rig.channel().close();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        if (!rig.cancellable()) {
            running.awaitParkedAgain();
            rig.unblock();
            Outcome outcome = running.join();
            assertEquals(0L, outcome.result(), "an fsync AIO cannot cancel completes, and force returns: " + outcome);
            assertTrue(closer.join(PROMPTLY), "close did not return");
            return;
        }
        Outcome outcome = running.join();
        assertTrue(closer.join(PROMPTLY), "close did not return");
        rig.checkStopped(outcome, AsynchronousCloseException.class);
        assertFalse(outcome.interruptedAfterwards(), "a close does not set the interrupt status");
        assertFalse(rig.channel().isOpen());
    }

    @ParameterizedTest(name = "{0} ({1}): parked when its thread is interrupted, ends promptly")
    @MethodSource("everyCall")
    void interruptEndsAParkedCall(Call call, Interrupts interrupts) throws Exception {
        Rig rig = rig(call, interrupts);
        rig.makeBlocking();
        Running running = rig.start(NEVER);
        running.awaitParked();
        rig.awaitInDriver();
        running.thread().interrupt();
        if (!rig.cancellable()) {
            running.awaitParkedAgain();
            rig.unblock();
        }
        Outcome outcome = running.join();
        assertTrue(outcome.interruptedAfterwards(), "the interrupt status stays set: " + outcome);
        if (interrupts == Interrupts.CLOSE_CHANNEL) {
            assertInstanceOf(ClosedByInterruptException.class, outcome.failure(), "what the call threw: " + outcome);
            assertFalse(rig.channel().isOpen(), "the interrupt closes the channel");
        } else if (!rig.cancellable()) {
            assertEquals(0L, outcome.result(), "an fsync AIO cannot cancel completes, and force returns: " + outcome);
        } else {
            rig.checkStopped(outcome, InterruptedIOException.class);
            assertFalse(outcome.failure() instanceof java.nio.channels.ClosedChannelException, "not a closed channel");
            if (!rig.stoppingCloses()) {
                rig.checkStillUsable();
            }
        }
    }

    @ParameterizedTest(name = "{0} ({1}): parked at its deadline, ends with InterruptedByTimeoutException")
    @MethodSource("everyCall")
    void timesOut(Call call, Interrupts interrupts) throws Exception {
        Rig rig = rig(call, interrupts);
        rig.makeBlocking();
        long start = System.nanoTime();
        Running running = rig.start(SHORT);
        running.awaitParked();
        rig.awaitInDriver();
        if (!rig.cancellable()) {
            Thread.sleep(SHORT.toMillis() + 100);
            running.awaitParkedAgain();
            assertFalse(running.task().isDone(), "the call returned before the fsync it cannot cancel");
            rig.unblock();
            Outcome outcome = running.join();
            assertEquals(0L, outcome.result(), "an fsync AIO cannot cancel completes, and force returns: " + outcome);
            return;
        }
        Outcome outcome = running.join();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(SHORT) >= 0, "the call ended before its deadline: " + took + ", " + outcome);
        assertTrue(took.compareTo(SHORT.plus(PROMPTLY)) < 0, "the call ended " + took.minus(SHORT)
                + " after its deadline: " + outcome);
        rig.checkStopped(outcome, InterruptedByTimeoutException.class);
        assertFalse(outcome.interruptedAfterwards(), "a deadline does not set the interrupt status");
        if (!rig.stoppingCloses()) {
            assertTrue(rig.channel().isOpen(), "a deadline leaves the channel open");
            rig.checkStillUsable();
        }
    }

    // ---------------------------------------------------------------- the calls and what they block on

    /** What one call ended with, and its thread's interrupt status then. */
    record Outcome(Long result, Throwable failure, boolean interruptedAfterwards) {
    }

    /** A call running in a virtual thread of its own. */
    record Running(Thread thread, FutureTask<Long> task, AtomicBoolean interruptedAfterwards) {
        void awaitParked() throws InterruptedException {
            try {
                VirtualThreads.awaitParked(thread, 5_000);
            } catch (AssertionError e) {
                if (!thread.isAlive()) {
                    fail("the call returned instead of blocking: " + join(), e);
                }
                throw e;
            }
        }

        /** After an interrupt or a close that cannot stop the call: it goes back to waiting. */
        void awaitParkedAgain() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (thread.isInterrupted() || !VirtualThreads.isParked(thread)) {
                assertTrue(System.nanoTime() < deadline && thread.isAlive(), "the call did not wait on: "
                        + thread.getState());
                Thread.sleep(1);
            }
        }

        Outcome join() throws InterruptedException {
            if (!thread.join(PROMPTLY.plus(SHORT))) {
                fail("the call did not return in time; thread state " + thread.getState());
            }
            try {
                return new Outcome(task.get(), null, interruptedAfterwards.get());
            } catch (ExecutionException e) {
                return new Outcome(null, e.getCause(), interruptedAfterwards.get());
            }
        }
    }

    /** A channel and a peer, set up so that the call under test completes at once or blocks. */
    abstract static class Rig {
        final Interrupts interrupts;
        RingFileChannel channel;

        Rig(Interrupts interrupts) {
            this.interrupts = interrupts;
        }

        RingFileChannel channel() {
            return channel;
        }

        Set<OpenOption> options(OpenOption... base) {
            Set<OpenOption> options = new HashSet<>(Arrays.asList(base));
            options.addAll(Arrays.asList(interrupts.options));
            return options;
        }

        /** The call under test, on the calling thread: the bytes moved, or 0 for a force. */
        abstract long call(Duration timeout) throws IOException;

        /** Makes the next call complete without waiting. */
        abstract void makeReady() throws Exception;

        /** Makes the next call wait until {@link #unblock()}. */
        abstract void makeBlocking() throws Exception;

        /** Lets a waiting call complete. */
        abstract void unblock() throws Exception;

        abstract long readyResult();

        abstract long unblockedResult();

        /** Checks that what the call reported moved is what the peer got (or what the buffer holds). */
        abstract void checkTransferred(long reported) throws Exception;

        /** Checks that another call still works after one was stopped without closing the channel. */
        abstract void checkStillUsable() throws Exception;

        /**
         * Waits until a call that {@link #start} began has reached the driver, for the rigs whose
         * call must be in the kernel before the test acts (a close or an interrupt that came first
         * would find it still in the poller's backlog, which cancels anything).
         */
        void awaitInDriver() throws InterruptedException {
        }

        /** Whether a blocked call of this kind can be stopped by the kernel (false: AIO's fsync). */
        boolean cancellable() {
            return true;
        }

        /**
         * Whether stopping a blocked call closes the channel: without native access, a call blocked on
         * a FIFO can only be stopped so (documented).
         */
        boolean stoppingCloses() throws IOException {
            return false;
        }

        /**
         * Checks a call stopped by a close, an interrupt or its deadline: it threw {@code expected},
         * or, having moved bytes first, returned their count; either way what it reported is what
         * moved.
         */
        void checkStopped(Outcome outcome, Class<? extends Throwable> expected) throws Exception {
            if (outcome.failure() != null) {
                assertInstanceOf(expected, outcome.failure(), "what the call threw");
                if (!stoppingCloses()) {
                    // Where the JDK's channel had to be closed under a blocked write, it reports none of the
                    // bytes the write had moved (documented); everywhere else the count is exact.
                    checkTransferred(0);
                }
            } else {
                assertTrue(outcome.result() > 0 && outcome.result() < unblockedResult(),
                        "a call stopped part-way returns the bytes it moved: " + outcome);
                checkTransferred(outcome.result());
            }
        }

        /** Starts the call in a virtual thread. */
        Running start(Duration timeout) {
            AtomicBoolean interruptedAfterwards = new AtomicBoolean();
            FutureTask<Long> task = new FutureTask<>(() -> {
                try {
                    return call(timeout);
                } finally {
                    interruptedAfterwards.set(Thread.currentThread().isInterrupted());
                }
            });
            return new Running(Thread.ofVirtual().name("timed-call").start(task), task, interruptedAfterwards);
        }

        /** Ends whatever the rig still holds. */
        void tearDown() throws Exception {
            if (channel != null) {
                channel.close();
            }
        }
    }

    /** A FIFO's two ends: Ringpark's channel, and the JDK's stream. */
    record Pair<P>(RingFileChannel channel, P peer) {
    }

    /** Opens the FIFO at {@code path} with the channel and its other end with the JDK, at once. */
    static <P extends AutoCloseable> Pair<P> openPair(Path fifo, Set<OpenOption> options, Opener<P> peerOpener)
            throws Exception {
        CompletableFuture<P> peer = CompletableFuture.supplyAsync(() -> {
            try {
                return peerOpener.open(fifo);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, task -> Thread.ofPlatform().daemon().name("fifo-peer").start(task));
        RingFileChannel channel = VirtualThreads.call(() -> RingFileChannel.open(fifo, options));
        return new Pair<>(channel, peer.get(10, TimeUnit.SECONDS));
    }

    @FunctionalInterface
    interface Opener<P> {
        P open(Path fifo) throws IOException;
    }

    /** Reads 16 bytes of a FIFO the peer writes. */
    static final class ReadRig extends Rig {
        static final int SIZE = 16;
        private final Path fifo;
        private final OutputStream peer;
        private ByteBuffer last;
        private int round;

        ReadRig(Path tmp, Interrupts interrupts) throws Exception {
            super(interrupts);
            fifo = Fifos.make(tmp.resolve("fifo"));
            Pair<OutputStream> pair = openPair(fifo, options(StandardOpenOption.READ),
                    path -> new FileOutputStream(path.toFile()));
            channel = pair.channel();
            peer = pair.peer();
        }

        @Override
        long call(Duration timeout) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(SIZE);
            last = buffer;
            return channel.read(buffer, timeout);
        }

        private void send() throws IOException {
            peer.write(Bytes.pattern(++round, SIZE));
            peer.flush();
        }

        @Override
        void makeReady() throws IOException {
            send();
        }

        @Override
        void makeBlocking() {
        }

        @Override
        void unblock() throws IOException {
            send();
        }

        @Override
        long readyResult() {
            return SIZE;
        }

        @Override
        long unblockedResult() {
            return SIZE;
        }

        @Override
        void checkTransferred(long reported) {
            if (reported > 0) {
                assertArrayEquals(Bytes.pattern(round, SIZE), last.array(), "the bytes read");
            } else {
                assertArrayEquals(new byte[SIZE], last.array(), "a stopped read leaves its buffer untouched");
            }
        }

        /** The next bytes sent arrive whole: the stopped read consumed none. */
        @Override
        void checkStillUsable() throws Exception {
            Thread.interrupted();
            send();
            ByteBuffer buffer = ByteBuffer.allocate(SIZE);
            assertEquals(SIZE, VirtualThreads.call(() -> channel.read(buffer, NEVER)));
            assertArrayEquals(Bytes.pattern(round, SIZE), buffer.array(), "nothing was lost");
        }

        @Override
        boolean stoppingCloses() throws IOException {
            return Ringpark.offloaded();
        }

        @Override
        void tearDown() throws Exception {
            Fifos.unblockOpeners(fifo);
            peer.close();
            super.tearDown();
        }
    }

    /** Writes to a FIFO the peer reads: 16 bytes when ready, {@link #BIG} (more than the pipe holds) to block. */
    static final class WriteRig extends Rig {
        private final Path fifo;
        private final InputStream peer;
        private int size = 16;
        private int round;
        /** What {@link #unblock()}'s reader got. */
        private CompletableFuture<byte[]> unblocked;

        WriteRig(Path tmp, Interrupts interrupts) throws Exception {
            super(interrupts);
            fifo = Fifos.make(tmp.resolve("fifo"));
            Pair<InputStream> pair = openPair(fifo, options(StandardOpenOption.WRITE),
                    path -> new FileInputStream(path.toFile()));
            channel = pair.channel();
            peer = pair.peer();
        }

        @Override
        long call(Duration timeout) throws IOException {
            return channel.write(ByteBuffer.wrap(Bytes.pattern(++round, size)), timeout);
        }

        @Override
        void makeReady() {
            size = 16;
        }

        @Override
        void makeBlocking() {
            size = BIG;
        }

        /** Reads everything the call writes; the check comes with {@link #checkTransferred}. */
        @Override
        void unblock() {
            unblocked = CompletableFuture.supplyAsync(() -> {
                try {
                    return peer.readNBytes(BIG);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, task -> Thread.ofPlatform().daemon().name("fifo-drainer").start(task));
        }

        @Override
        long readyResult() {
            return 16;
        }

        @Override
        long unblockedResult() {
            return BIG;
        }

        /** Reads what is in the pipe: exactly the bytes the call reported. */
        @Override
        void checkTransferred(long reported) throws Exception {
            if (size == BIG && reported == BIG) {
                assertArrayEquals(Bytes.pattern(round, BIG), unblocked.get(5, TimeUnit.SECONDS),
                        "the bytes the reader got");
                return;
            }
            byte[] got = readAvailable((int) reported);
            assertArrayEquals(Arrays.copyOf(Bytes.pattern(round, size), (int) reported), got,
                    "the reader gets exactly the bytes the write reported");
        }

        /** {@code expected} bytes from the pipe, then a check that nothing more is there. */
        private byte[] readAvailable(int expected) throws Exception {
            byte[] got = peer.readNBytes(expected);
            Thread.sleep(50);
            assertEquals(0, peer.available(), "bytes in the pipe beyond those the write reported");
            return got;
        }

        @Override
        void checkStillUsable() throws Exception {
            Thread.interrupted();
            size = 16;
            assertEquals(16L, VirtualThreads.call(() -> call(NEVER)));
            checkTransferred(16);
        }

        @Override
        boolean stoppingCloses() throws IOException {
            return Ringpark.offloaded();
        }

        @Override
        void tearDown() throws Exception {
            Fifos.unblockOpeners(fifo);
            peer.close();
            super.tearDown();
        }
    }

    /** Forces a file whose {@code fsync} waits behind something that holds every worker it could run on. */
    abstract static class ForceRig extends Rig {
        final Path file;

        ForceRig(Path tmp, Interrupts interrupts) {
            super(interrupts);
            file = tmp.resolve("forced");
        }

        static ForceRig start(Path tmp, Interrupts interrupts) throws Exception {
            ForceRig rig = switch (mode()) {
                case "offloaded" -> new OffloadedForceRig(tmp, interrupts);
                case "aio" -> new HeldForceRig(tmp, interrupts);
                default -> new QueuedForceRig(tmp, interrupts);
            };
            rig.open();
            return rig;
        }

        abstract void open() throws Exception;

        @Override
        long call(Duration timeout) throws IOException {
            channel.force(true, timeout);
            return 0;
        }

        @Override
        void makeReady() {
        }

        @Override
        long readyResult() {
            return 0;
        }

        @Override
        long unblockedResult() {
            return 0;
        }

        @Override
        void checkTransferred(long reported) {
        }

        @Override
        void checkStopped(Outcome outcome, Class<? extends Throwable> expected) {
            assertInstanceOf(expected, outcome.failure(), "what the force threw: " + outcome);
        }

        @Override
        void checkStillUsable() throws Exception {
            Thread.interrupted();
            unblock();
            VirtualThreads.call(() -> call(NEVER));
        }
    }

    /**
     * On io_uring and the thread pool: a poller of the test's own with one worker for blocking calls
     * (one bounded io-wq worker; one pool thread), held by the open of a FIFO that nobody opens at the
     * other end, so that the {@code fsync} waits in the queue behind it.
     */
    static final class QueuedForceRig extends ForceRig {
        private final Path fifo;
        private final Arena arena = Arena.ofShared();
        private Poller poller;
        private Thread blocker;
        private final AtomicReference<Object> blockerResult = new AtomicReference<>();

        QueuedForceRig(Path tmp, Interrupts interrupts) throws Exception {
            super(tmp, interrupts);
            fifo = Fifos.make(tmp.resolve("worker-holder"));
        }

        /**
         * The file is opened read-only (an {@code fsync} needs no more): a read-only descriptor of a
         * local file is closed on the caller, where a writable one's close would need the one worker too.
         */
        @Override
        void open() throws Exception {
            DriverLadder.Rung rung = DriverLadder.Rung.labelled(mode());
            poller = Poller.start("one-worker-poller", DriverLadder.forced(rung, new DriverLadder.Settings(64, 1, 1)));
            Files.write(file, new byte[4096]);
            channel = VirtualThreads.call(() -> RingFileChannel.open(poller, file, options(StandardOpenOption.READ)));
        }

        @Override
        void makeBlocking() throws Exception {
            MemorySegment path = arena.allocateFrom(fifo.toString(), StandardCharsets.UTF_8);
            OpenMode read = new OpenMode(OpenMode.Access.READ, OpenMode.Creation.EXISTING, false, false, false, false,
                    false, true, 0);
            blocker = Thread.ofVirtual().name("worker-holder").start(() -> {
                try {
                    blockerResult.set(poller.execute(new Open(path, read, false)));
                } catch (IOException e) {
                    blockerResult.set(e);
                }
            });
            VirtualThreads.awaitParked(blocker, 5_000);
            Thread.sleep(50); // lets the open reach the worker
        }

        @Override
        void unblock() throws Exception {
            if (blocker == null) {
                return;
            }
            Fifos.unblockOpeners(fifo);
            assertTrue(blocker.join(Duration.ofSeconds(5)), "the FIFO's open did not return");
            Object fd = blockerResult.get();
            assertTrue(fd instanceof Integer n && n >= 0, "the FIFO's open: " + fd);
            poller.execute(new Close((Integer) fd));
            blocker = null;
        }

        @Override
        void tearDown() throws Exception {
            unblock();
            super.tearDown();
            arena.close();
        }
    }

    /**
     * On Linux AIO: the {@code fsync} goes to the kernel, which neither queues it where a cancel could
     * reach it nor lets {@code io_cancel} stop it; the test's driver holds its completion back.
     */
    static final class HeldForceRig extends ForceRig {
        private final AtomicReference<HoldingDriver> driver = new AtomicReference<>();

        HeldForceRig(Path tmp, Interrupts interrupts) {
            super(tmp, interrupts);
        }

        @Override
        void open() throws Exception {
            Poller poller = HoldingDriver.start(driver);
            channel = VirtualThreads.call(() -> RingFileChannel.open(poller, file,
                    options(StandardOpenOption.CREATE, StandardOpenOption.WRITE)));
        }

        @Override
        boolean cancellable() {
            return false;
        }

        private int syncsBefore;

        @Override
        void makeBlocking() {
            syncsBefore = driver.get().submitted(operation -> operation instanceof Sync).size();
            driver.get().hold(operation -> operation instanceof Sync);
        }

        /** The fsync has reached the AIO context, where no cancel can take it back. */
        @Override
        void awaitInDriver() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (driver.get().submitted(operation -> operation instanceof Sync).size() == syncsBefore) {
                assertTrue(System.nanoTime() < deadline, "the fsync never reached the driver");
                Thread.sleep(1);
            }
        }

        @Override
        void unblock() {
            driver.get().release();
        }

        @Override
        void tearDown() throws Exception {
            unblock();
            super.tearDown();
        }
    }

    /**
     * Without native access: the JDK's {@code force} on the pool of platform threads for files, every
     * one of which is held by a {@code lock} of a region of another file that a child process holds
     * locked (the JDK's {@code lock} waits in {@code fcntl(F_SETLKW)} on the pool thread), so that
     * the force waits in the pool's queue. (FIFO reads, which held the pool before, run on a pool of
     * their own now.)
     */
    static final class OffloadedForceRig extends ForceRig {
        private final Path tmp;
        private final Path locked;
        private Process holder;
        private RingFileChannel locking;
        private final List<Thread> lockers = new ArrayList<>();

        OffloadedForceRig(Path tmp, Interrupts interrupts) {
            super(tmp, interrupts);
            this.tmp = tmp;
            this.locked = tmp.resolve("pool-holder");
        }

        @Override
        void open() throws Exception {
            channel = VirtualThreads.call(() -> RingFileChannel.open(file,
                    options(StandardOpenOption.CREATE, StandardOpenOption.WRITE)));
        }

        @Override
        void makeBlocking() throws Exception {
            Files.write(locked, new byte[Ringpark.threads()]);
            holder = new ProcessBuilder(ChildJvm.command(List.of(), List.of(), tmp, LockHolder.class, locked.toString()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String said = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8)).readLine();
            assertEquals("locked", said, "the lock holder's first line");
            locking = VirtualThreads.call(() -> RingFileChannel.open(locked, Set.of(StandardOpenOption.WRITE)));
            for (int i = 0; i < Ringpark.threads(); i++) {
                long region = i; // one byte each: this JVM refuses overlapping locks of its own
                lockers.add(Thread.ofVirtual().start(() -> {
                    try {
                        locking.lock(region, 1, false);
                    } catch (IOException e) {
                        // ended by the test's clean-up
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (RecordLocks.waitingFor(locked) < Ringpark.threads()) {
                assertTrue(System.nanoTime() < deadline, "pool threads waiting in fcntl: "
                        + RecordLocks.waitingFor(locked) + " of " + Ringpark.threads());
                Thread.sleep(1);
            }
        }

        /** Ends the child, whose lock goes with it: every pool thread's lock is then granted. */
        @Override
        void unblock() throws Exception {
            if (holder == null) {
                return;
            }
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(10, TimeUnit.SECONDS), "the lock holder did not end");
            holder = null;
            for (Thread locker : lockers) {
                assertTrue(locker.join(Duration.ofSeconds(5)), "a lock holding a pool thread did not end");
            }
            locking.close();
        }

        @Override
        void tearDown() throws Exception {
            unblock();
            super.tearDown();
        }
    }
}
