package dev.ringpark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FIFO with a second reader, another process's or (here) the JDK's on a platform thread: when a
 * byte arrives, both readers wake and one of them gets it. The loser's read must go back to waiting
 * in a way that close still ends, on every driver. A pool worker that woke from {@code poll} and
 * then made a plain blocking {@code read} would wait for the next byte with close unable to release
 * it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SharedFifoTest {
    /** Rounds the other reader must win; who wins is up to the scheduler (io_uring's read mostly does). */
    private static final int LOSSES_WANTED = 3;
    private static final int MAX_ROUNDS = 300;
    private static final long PROMPTLY_MILLIS = 3_000;

    @TempDir
    Path tmp;

    @Test
    void aReadThatLosesTheBytesToAnotherReaderStillEndsOnClose() throws Exception {
        KernelWaits.assumeVisible();
        Path fifo = Fifos.make(tmp.resolve("fifo"));
        CompletableFuture<OutputStream> writerOpened = CompletableFuture.supplyAsync(() -> {
            try {
                return new FileOutputStream(fifo.toFile());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, task -> Thread.ofPlatform().daemon().start(task));
        try (InputStream otherReader = new FileInputStream(fifo.toFile());
             OutputStream writer = writerOpened.get(10, TimeUnit.SECONDS)) {
            int rounds = 0;
            int lostRaces = 0;
            while (lostRaces < LOSSES_WANTED && rounds < MAX_ROUNDS) {
                rounds++;
                if (!ringReaderGetsTheByte(fifo, otherReader, writer)) {
                    lostRaces++;
                }
            }
            System.out.println("SharedFifoTest: the other reader got the byte in " + lostRaces + " of " + rounds
                    + " rounds");
            assertTrue(lostRaces > 0, "the other reader never won in " + rounds + " rounds: the race under test "
                    + "never happened");
        } finally {
            Fifos.unblockOpeners(fifo);
        }
    }

    /**
     * One round: a RingFileChannel read and the other reader both wait for the FIFO (the first seen
     * parked, the second seen asleep in {@code read(2)} of it), one byte arrives. If the other reader
     * got it, the parked read must end with AsynchronousCloseException once its channel closes.
     *
     * @return whether the RingFileChannel read got the byte
     */
    private static boolean ringReaderGetsTheByte(Path fifo, InputStream otherReader, OutputStream writer)
            throws Exception {
        FileChannel channel = RingFileChannel.open(fifo, StandardOpenOption.READ);
        FutureTask<Integer> ringRead = new FutureTask<>(() -> channel.read(ByteBuffer.allocate(16)));
        Thread ringReader = Thread.ofVirtual().name("ring-reader").start(ringRead);
        AtomicInteger otherTid = new AtomicInteger(-1);
        FutureTask<Integer> otherRead = new FutureTask<>(() -> {
            otherTid.set(KernelWaits.currentTid());
            return otherReader.read();
        });
        Thread.ofPlatform().daemon().name("other-reader").start(otherRead);
        VirtualThreads.awaitParked(ringReader, 5_000);
        KernelWaits.await(() -> KernelWaits.isIn(otherTid.get(), KernelWaits.Call.READ, fifo), Duration.ofSeconds(5),
                () -> "the other reader is not waiting in read(2) of the FIFO");

        writer.write('x');
        writer.flush();
        while (!ringRead.isDone() && !otherRead.isDone()) {
            Thread.sleep(1);
        }
        boolean ringGotIt = ringRead.isDone() && failure(ringRead) == null;
        if (ringGotIt) {
            assertEquals(1, ringRead.get(), "bytes the RingFileChannel read");
            writer.write('y'); // the other reader's byte
            writer.flush();
        }
        assertEquals((int) (ringGotIt ? 'y' : 'x'), otherRead.get(5, TimeUnit.SECONDS), "the other reader's byte");

        Thread closer = Thread.ofPlatform().daemon().name("closer").start(() -> {
            try {
                channel.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        if (!closer.join(Duration.ofMillis(PROMPTLY_MILLIS))) {
            writer.write('z'); // releases a read that waits for bytes, so that the test can end
            writer.flush();
            fail("close() did not return within " + PROMPTLY_MILLIS + " ms of a read that lost the byte to another "
                    + "reader (ring read " + (ringRead.isDone() ? "done" : "still waiting") + ")");
        }
        assertTrue(ringReader.join(Duration.ofMillis(PROMPTLY_MILLIS)), "the read did not end after close");
        if (!ringGotIt) {
            assertInstanceOf(AsynchronousCloseException.class, failure(ringRead), "what the parked read threw");
        }
        return ringGotIt;
    }

    private static Throwable failure(FutureTask<Integer> task) throws InterruptedException {
        try {
            task.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }
}
