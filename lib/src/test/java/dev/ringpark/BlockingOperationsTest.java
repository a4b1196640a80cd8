package dev.ringpark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.Closeable;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Calls that block, on a FIFO, made by a virtual thread: shaped like the JDK's
 * test/jdk/java/nio/channels/vthread/BlockingChannelOps.java. For each direction the call completes at
 * once when the FIFO is ready, parks until the peer acts otherwise, and when parked is woken by
 * close() (AsynchronousCloseException) or interrupt() (ClosedByInterruptException).
 *
 * <p>On JDK 25 the last two hang with FileChannel: the JDK no longer signals virtual threads blocked in
 * file I/O. RingFileChannel must not.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BlockingOperationsTest {

    /** How long a call woken by close or interrupt may take to return. */
    static final Duration PROMPTLY = Duration.ofSeconds(3);
    static final Duration JOIN_LIMIT = Duration.ofSeconds(5);

    /** The two directions: the channel reads and a JDK stream writes, or the other way round. */
    enum Direction {
        READ(StandardOpenOption.READ, 16, 16) {
            @Override
            Closeable openPeer(Path fifo) throws IOException {
                return new FileOutputStream(fifo.toFile());
            }

            @Override
            int transfer(FileChannel ch, int size) throws IOException {
                ByteBuffer buffer = ByteBuffer.allocate(size);
                int n = ch.read(buffer);
                assertEquals(size, n, "bytes read");
                assertArrayEquals(Bytes.pattern(size, size), buffer.array(), "bytes read");
                return n;
            }

            @Override
            void peerActs(Closeable peer, int size) throws IOException {
                OutputStream out = (OutputStream) peer;
                out.write(Bytes.pattern(size, size));
                out.flush();
            }

            @Override
            boolean peerActsFirst() {
                return true;
            }
        },
        /** Writes 1 MiB where the pipe holds 64 KiB, so the blocking write waits for the reader. */
        WRITE(StandardOpenOption.WRITE, 16, 1 << 20) {
            @Override
            Closeable openPeer(Path fifo) throws IOException {
                return new FileInputStream(fifo.toFile());
            }

            @Override
            int transfer(FileChannel ch, int size) throws IOException {
                return ch.write(ByteBuffer.wrap(Bytes.pattern(size, size)));
            }

            @Override
            void peerActs(Closeable peer, int size) throws IOException {
                byte[] received = ((InputStream) peer).readNBytes(size);
                assertArrayEquals(Bytes.pattern(size, size), received, "bytes the reader received");
            }

            @Override
            boolean peerActsFirst() {
                return false;
            }
        };

        final OpenOption mode;
        /** What one call transfers when the FIFO is ready. */
        final int readySize;
        /** What one call transfers when it has to wait. */
        final int blockingSize;

        Direction(OpenOption mode, int readySize, int blockingSize) {
            this.mode = mode;
            this.readySize = readySize;
            this.blockingSize = blockingSize;
        }

        /** Opens the other end with the JDK (blocks until the channel opens its end). */
        abstract Closeable openPeer(Path fifo) throws IOException;

        /** The call under test on the channel; returns what it returns. */
        abstract int transfer(FileChannel ch, int size) throws IOException;

        /** What the peer does to let the call complete, and its check of what it received. */
        abstract void peerActs(Closeable peer, int size) throws IOException;

        /** Whether, for the call to be ready, the peer must act before it (a read needs data). */
        abstract boolean peerActsFirst();
    }

    @TempDir
    Path tmp;

    Path fifo;
    CompletableFuture<Closeable> peer;
    final AtomicReference<FileChannel> channel = new AtomicReference<>();

    @BeforeEach
    void makeFifo() throws Exception {
        fifo = Fifos.make(tmp.resolve("fifo"));
    }

    /** Closes the peer first: that ends a call still blocked (EOF or EPIPE) even where close() would not. */
    @AfterEach
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void closeEverything() throws Exception {
        Fifos.unblockOpeners(fifo);
        if (peer != null) {
            peer.get(5, TimeUnit.SECONDS).close();
        }
        FileChannel ch = channel.get();
        if (ch != null) {
            ch.close();
        }
    }

    /**
     * Starts a virtual thread that opens the FIFO with RingFileChannel (while a platform thread opens the
     * peer end with the JDK), waits for {@code go}, then makes the call. Returns once both ends are open.
     */
    Call start(Direction direction, int size, CountDownLatch go) throws Exception {
        return start(direction, size, go, false);
    }

    /** Like {@link #start(Direction, int, CountDownLatch)}; the thread interrupts itself just before the call. */
    Call start(Direction direction, int size, CountDownLatch go, boolean interruptFirst) throws Exception {
        peer = CompletableFuture.supplyAsync(() -> {
            try {
                return direction.openPeer(fifo);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, task -> Thread.ofPlatform().daemon().name("fifo-peer").start(task));
        CountDownLatch opened = new CountDownLatch(1);
        AtomicBoolean interruptedAfterwards = new AtomicBoolean();
        FutureTask<Integer> result = new FutureTask<>(() -> {
            FileChannel ch = RingFileChannel.open(fifo, direction.mode);
            channel.set(ch);
            opened.countDown();
            go.await();
            if (interruptFirst) {
                Thread.currentThread().interrupt();
            }
            try {
                return direction.transfer(ch, size);
            } finally {
                interruptedAfterwards.set(Thread.currentThread().isInterrupted());
            }
        });
        Thread thread = Thread.ofVirtual().name("blocking-call").start(result);
        assertTrue(opened.await(10, TimeUnit.SECONDS), "RingFileChannel.open of the FIFO did not return");
        peer.get(10, TimeUnit.SECONDS);
        return new Call(thread, result, interruptedAfterwards);
    }

    record Call(Thread thread, FutureTask<Integer> result, AtomicBoolean interruptedAfterwards) {
        /** Joins the thread (failing if it does not end in time) and returns how long that took. */
        Duration join() throws InterruptedException {
            long start = System.nanoTime();
            if (!thread.join(JOIN_LIMIT)) {
                fail("the call did not return within " + JOIN_LIMIT + "; thread state " + thread.getState());
            }
            return Duration.ofNanos(System.nanoTime() - start);
        }

        /** Waits until the call parks; if it returns instead, fails saying what it returned or threw. */
        void awaitParked() throws InterruptedException {
            try {
                VirtualThreads.awaitParked(thread, 5_000);
            } catch (AssertionError e) {
                if (!thread.isAlive()) {
                    Throwable failure = failure();
                    fail("the call returned instead of blocking: "
                            + (failure == null ? "it returned " + result.resultNow() : "it threw " + failure), failure);
                }
                throw e;
            }
        }

        Throwable failure() throws InterruptedException {
            try {
                result.get();
                return null;
            } catch (ExecutionException e) {
                return e.getCause();
            }
        }
    }

    @ParameterizedTest(name = "a {0} completes without blocking when the FIFO is ready")
    @EnumSource(Direction.class)
    void completesWithoutBlockingWhenReady(Direction direction) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        Call call = start(direction, direction.readySize, go);
        if (direction.peerActsFirst()) {
            direction.peerActs(peer.get(), direction.readySize);
        }
        go.countDown();
        call.join();
        assertEquals(direction.readySize, call.result().get(), "what the call returned");
        if (!direction.peerActsFirst()) {
            direction.peerActs(peer.get(), direction.readySize);
        }
    }

    @ParameterizedTest(name = "a {0} parks until the peer acts, then completes")
    @EnumSource(Direction.class)
    void blocksUntilThePeerActs(Direction direction) throws Exception {
        Call call = start(direction, direction.blockingSize, new CountDownLatch(0));
        call.awaitParked();
        Thread.sleep(100);
        assertFalse(call.result().isDone(), "the call returned before the peer acted");
        assertTrue(VirtualThreads.isParked(call.thread()), "the thread is parked, not " + call.thread().getState());
        direction.peerActs(peer.get(), direction.blockingSize);
        call.join();
        assertEquals(direction.blockingSize, call.result().get(), "what the call returned");
    }

    /**
     * A call parked when the channel closes throws AsynchronousCloseException, unless it had moved
     * bytes already: the 1 MiB write fills the 64 KiB pipe before it parks, and then returns the
     * count it wrote, as the JDK returns a blocking transfer that completed in part. Those bytes must
     * be exactly what the reader gets.
     */
    @ParameterizedTest(name = "a {0} parked when the channel is closed ends promptly, losing nothing")
    @EnumSource(Direction.class)
    void closeWakesAParkedCall(Direction direction) throws Exception {
        Call call = start(direction, direction.blockingSize, new CountDownLatch(0));
        call.awaitParked();
        FileChannel ch = channel.get();
        ch.close();
        Duration took = call.join();
        if (call.failure() == null && direction == Direction.WRITE) {
            int written = call.result().get();
            assertTrue(written > 0 && written < direction.blockingSize, "a partial write returns its count: " + written);
            byte[] received = ((InputStream) peer.get()).readAllBytes();
            assertArrayEquals(Arrays.copyOf(Bytes.pattern(direction.blockingSize, direction.blockingSize), written),
                    received, "the reader gets exactly the bytes the write reported");
        } else {
            assertInstanceOf(AsynchronousCloseException.class, call.failure(), "what the call threw");
            assertFalse(call.failure() instanceof ClosedByInterruptException, "not interrupted");
        }
        assertTrue(took.compareTo(PROMPTLY) < 0, "the call took " + took + " to return after close");
        assertFalse(ch.isOpen());
        assertFalse(call.interruptedAfterwards().get(), "close must not set the interrupt status");
    }

    @ParameterizedTest(name = "a {0} parked when the thread is interrupted throws ClosedByInterruptException promptly")
    @EnumSource(Direction.class)
    void interruptWakesAParkedCall(Direction direction) throws Exception {
        Call call = start(direction, direction.blockingSize, new CountDownLatch(0));
        call.awaitParked();
        call.thread().interrupt();
        Duration took = call.join();
        assertInstanceOf(ClosedByInterruptException.class, call.failure(), "what the call threw");
        assertTrue(took.compareTo(PROMPTLY) < 0, "the call took " + took + " to return after interrupt");
        assertTrue(call.interruptedAfterwards().get(), "the interrupt status stays set");
        assertFalse(channel.get().isOpen(), "the interrupt closes the channel");
    }

    @ParameterizedTest(name = "a {0} by an already interrupted thread throws ClosedByInterruptException at once")
    @EnumSource(Direction.class)
    void aCallByAnInterruptedThreadFailsAtOnce(Direction direction) throws Exception {
        Call call = start(direction, direction.blockingSize, new CountDownLatch(0), true);
        call.join();
        assertInstanceOf(ClosedByInterruptException.class, call.failure(), "what the call threw");
        assertTrue(call.interruptedAfterwards().get(), "the interrupt status stays set");
        assertFalse(channel.get().isOpen(), "the interrupt closes the channel");
    }
}
