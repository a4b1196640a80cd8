package dev.ringpark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * {@link RingOpenOption#INTERRUPT_CANCELS_CALL}: accepted by {@link RingFileChannel#open} only (the
 * JDK's {@code FileChannel.open}, and so the drop-in provider, refuse it as any unknown option); an
 * interrupted caller's call throws {@link InterruptedIOException} without any I/O, keeps its interrupt
 * status and leaves the channel open, whatever the call; a wait for the lock ordering relative
 * transfers is interrupted too, and bounded by a deadline. (Interrupts of calls blocked in the
 * kernel: {@code DeadlineBlockingOperationsTest} and {@code StructuredConcurrencyTest}.)
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class InterruptCancelsCallTest {
    @TempDir
    Path tmp;

    private Path file() throws IOException {
        return Files.write(tmp.resolve("file"), Bytes.pattern(1, 4096));
    }

    @Test
    void theJdksFileChannelRefusesTheOptionAsAnyUnknownOne() throws Exception {
        Path file = file();
        UnsupportedOperationException jdk = assertThrows(UnsupportedOperationException.class,
                () -> FileChannel.open(file, READ, RingOpenOption.INTERRUPT_CANCELS_CALL));
        assertEquals("INTERRUPT_CANCELS_CALL not supported", jdk.getMessage());
    }

    /** The drop-in provider keeps what the JDK does with an option it does not know. */
    @Test
    void theDropInProviderRefusesItAsTheJdkDoes() throws Exception {
        FileSystem ring = RingFileSystemProvider.fileSystem();
        Path file = ring.getPath(file().toString());
        for (ThrowingOpen open : new ThrowingOpen[] {
                () -> FileChannel.open(file, READ, RingOpenOption.INTERRUPT_CANCELS_CALL),
                () -> Files.newByteChannel(file, READ, RingOpenOption.INTERRUPT_CANCELS_CALL),
                () -> Files.newInputStream(file, RingOpenOption.INTERRUPT_CANCELS_CALL),
                () -> Files.newOutputStream(file, RingOpenOption.INTERRUPT_CANCELS_CALL),
                () -> RingFiles.newInputStream(file, RingOpenOption.INTERRUPT_CANCELS_CALL)}) {
            UnsupportedOperationException refused = assertThrows(UnsupportedOperationException.class, open::open);
            assertEquals("INTERRUPT_CANCELS_CALL not supported", refused.getMessage());
        }
    }

    @FunctionalInterface
    interface ThrowingOpen {
        AutoCloseable open() throws IOException;
    }

    /** Every call of an interrupted caller, I/O or not, throws at once and leaves the channel as it was. */
    @Test
    void everyCallOfAnInterruptedCallerThrowsWithoutIoAndKeepsTheChannel() throws Exception {
        Path file = file();
        try (RingFileChannel channel = VirtualThreads.call(() -> RingFileChannel.open(file, READ, WRITE,
                RingOpenOption.INTERRUPT_CANCELS_CALL))) {
            ThrowingCall[] calls = {
                () -> channel.read(ByteBuffer.allocate(16)),
                () -> channel.read(ByteBuffer.allocate(16), 0),
                () -> channel.read(ByteBuffer.allocate(16), Duration.ofSeconds(10)),
                () -> channel.read(new ByteBuffer[] {ByteBuffer.allocate(16)}),
                () -> channel.write(ByteBuffer.wrap(new byte[16])),
                () -> channel.write(ByteBuffer.wrap(new byte[16]), 0),
                () -> channel.write(ByteBuffer.wrap(new byte[16]), 0, Duration.ofSeconds(10)),
                () -> {
                    channel.force(true);
                    return null;
                },
                channel::size,
                channel::position,
                () -> channel.transferTo(0, 16, channel),
                () -> channel.transferFrom(channel, 0, 16),
            };
            for (ThrowingCall call : calls) {
                Object[] outcome = VirtualThreads.call(() -> {
                    Thread.currentThread().interrupt();
                    try {
                        return new Object[] {call.run(), Thread.interrupted()};
                    } catch (Throwable t) {
                        return new Object[] {t, Thread.interrupted()};
                    }
                });
                assertInstanceOf(InterruptedIOException.class, outcome[0], "what the call threw");
                assertEquals(Boolean.TRUE, outcome[1], "the interrupt status stays set");
                assertTrue(channel.isOpen(), "the channel stays open");
            }
            assertEquals(0L, (long) VirtualThreads.call(channel::position), "no call moved the position");
            assertArrayEquals(Bytes.pattern(1, 4096), Files.readAllBytes(file), "no call wrote");
        }
    }

    @FunctionalInterface
    interface ThrowingCall {
        Object run() throws IOException;
    }

    /**
     * A relative read waits for the one in flight on a FIFO (they share the file position): an interrupt
     * ends the wait, and so does a deadline; the read in flight goes on, and the channel stays open.
     */
    @Test
    void aWaitForThePositionLockEndsOnAnInterruptOrADeadline() throws Exception {
        assumeFalse(Ringpark.offloaded(), "without native access the lock is the JDK's own, which only closing the "
                + "channel ends (documented)");
        Path fifo = Fifos.make(tmp.resolve("fifo"));
        CompletableFuture<OutputStream> writer = CompletableFuture.supplyAsync(() -> {
            try {
                return new FileOutputStream(fifo.toFile());
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, task -> Thread.ofPlatform().daemon().name("fifo-writer").start(task));
        try (RingFileChannel channel = VirtualThreads.call(() -> RingFileChannel.open(fifo,
                Set.of(READ, RingOpenOption.INTERRUPT_CANCELS_CALL)));
             OutputStream peer = writer.get(10, TimeUnit.SECONDS)) {
            ByteBuffer first = ByteBuffer.allocate(16);
            FutureTask<Integer> inFlight = new FutureTask<>(() -> channel.read(first));
            Thread holder = Thread.ofVirtual().name("lock-holder").start(inFlight);
            VirtualThreads.awaitParked(holder, 5_000);

            FutureTask<Integer> waiting = new FutureTask<>(() -> channel.read(ByteBuffer.allocate(16)));
            Thread waiter = Thread.ofVirtual().name("lock-waiter").start(waiting);
            VirtualThreads.awaitParked(waiter, 5_000);
            waiter.interrupt();
            assertInstanceOf(InterruptedIOException.class, failureOf(waiting));

            long start = System.nanoTime();
            FutureTask<Integer> timed = new FutureTask<>(() -> channel.read(ByteBuffer.allocate(16),
                    Duration.ofMillis(200)));
            Thread.ofVirtual().name("timed-waiter").start(timed);
            assertInstanceOf(InterruptedByTimeoutException.class, failureOf(timed));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200), "ended before the deadline");

            assertTrue(channel.isOpen());
            peer.write(Bytes.pattern(3, 16));
            peer.flush();
            assertEquals(16, inFlight.get(5, TimeUnit.SECONDS), "the read in flight completes");
            assertArrayEquals(Bytes.pattern(3, 16), first.array());
        } finally {
            Fifos.unblockOpeners(fifo);
        }
    }

    /**
     * A transfer from a FIFO into a file, both opened with the option, interrupted while it waits for
     * the pipe: the wait is cancelled and neither channel closes. With nothing moved it throws
     * {@link InterruptedIOException}; with bytes moved it returns their count; either way the next
     * transfer goes on from where the stream stands.
     */
    @Test
    void anInterruptedTransferFromAFifoClosesNeitherChannel() throws Exception {
        assumeFalse(Ringpark.offloaded(), "without native access the JDK's transfer runs, which only closing a "
                + "channel stops (documented)");
        Path fifo = Fifos.make(tmp.resolve("fifo"));
        try (java.io.RandomAccessFile bothEnds = new java.io.RandomAccessFile(fifo.toFile(), "rw");
             RingFileChannel source = VirtualThreads.call(() -> RingFileChannel.open(fifo,
                     Set.of(READ, RingOpenOption.INTERRUPT_CANCELS_CALL)));
             RingFileChannel target = VirtualThreads.call(() -> RingFileChannel.open(tmp.resolve("target"),
                     Set.of(StandardOpenOption.CREATE, READ, WRITE, RingOpenOption.INTERRUPT_CANCELS_CALL)))) {
            FutureTask<Long> nothingYet = new FutureTask<>(() -> target.transferFrom(source, 0, 100));
            Thread first = Thread.ofVirtual().start(nothingYet);
            VirtualThreads.awaitParked(first, 5_000);
            first.interrupt();
            assertInstanceOf(InterruptedIOException.class, failureOf(nothingYet));

            bothEnds.write(Bytes.pattern(5, 300));
            FutureTask<Long> some = new FutureTask<>(() -> target.transferFrom(source, 0, 1000));
            Thread second = Thread.ofVirtual().start(some);
            while (Files.size(tmp.resolve("target")) < 300) {
                Thread.onSpinWait(); // the splice's bytes reach the file; the transfer then waits for more
            }
            VirtualThreads.awaitParked(second, 5_000);
            second.interrupt();
            assertEquals(300, some.get(5, TimeUnit.SECONDS), "the bytes moved before the interrupt");

            assertTrue(source.isOpen() && target.isOpen(), "neither channel closed");
            bothEnds.write(Bytes.pattern(6, 200));
            assertEquals(200L, (long) VirtualThreads.call(() -> target.transferFrom(source, 300, 200)));
            byte[] expected = new byte[500];
            System.arraycopy(Bytes.pattern(5, 300), 0, expected, 0, 300);
            System.arraycopy(Bytes.pattern(6, 200), 0, expected, 300, 200);
            assertArrayEquals(expected, Files.readAllBytes(tmp.resolve("target")));
        }
    }

    private static Throwable failureOf(FutureTask<?> task) throws Exception {
        try {
            task.get(5, TimeUnit.SECONDS);
            throw new AssertionError("the call returned");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** Without the option, the JDK's behaviour stays: the interrupted caller closes the channel. */
    @Test
    void withoutTheOptionAnInterruptStillClosesTheChannel() throws Exception {
        Path file = file();
        try (RingFileChannel channel = VirtualThreads.call(() -> RingFileChannel.open(file, StandardOpenOption.READ))) {
            Throwable thrown = VirtualThreads.call(() -> {
                Thread.currentThread().interrupt();
                try {
                    channel.read(ByteBuffer.allocate(16), Duration.ofSeconds(10));
                    return null;
                } catch (IOException e) {
                    return e;
                } finally {
                    Thread.interrupted();
                }
            });
            assertInstanceOf(java.nio.channels.ClosedByInterruptException.class, thrown);
            assertTrue(!channel.isOpen());
        }
    }
}
