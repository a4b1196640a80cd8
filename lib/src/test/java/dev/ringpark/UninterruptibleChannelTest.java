package dev.ringpark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static java.nio.file.StandardOpenOption.READ;

/**
 * The channels behind streams ({@link RingFileChannel#openUninterruptible}) ignore interrupts, as the
 * JDK's behind {@code Files.newInputStream} do: the call completes, the channel stays open, and the
 * caller's interrupt status stays set.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UninterruptibleChannelTest {
    @TempDir
    Path tmp;

    @Test
    void aReadByAnInterruptedThreadCompletesAndKeepsTheChannelOpen() throws Exception {
        Path file = tmp.resolve("file");
        Files.write(file, Bytes.pattern(1, 4096));
        try (RingFileChannel channel = RingFileChannel.openUninterruptible(file, Set.of(READ))) {
            AtomicBoolean interruptedAfterwards = new AtomicBoolean();
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            int n = VirtualThreads.call(() -> {
                Thread.currentThread().interrupt();
                try {
                    return channel.read(buffer, 0);
                } finally {
                    interruptedAfterwards.set(Thread.interrupted());
                }
            });
            assertEquals(4096, n);
            assertArrayEquals(Bytes.pattern(1, 4096), buffer.array());
            assertTrue(interruptedAfterwards.get(), "the interrupt status stays set");
            assertTrue(channel.isOpen(), "the interrupt does not close the channel");
        }
    }

    @Test
    void aReadParkedWhenInterruptedWaitsForItsDataAndKeepsTheChannelOpen() throws Exception {
        Path fifo = Fifos.make(tmp.resolve("fifo"));
        CompletableFuture<OutputStream> writer = CompletableFuture.supplyAsync(() -> {
            try {
                return new FileOutputStream(fifo.toFile());
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, task -> Thread.ofPlatform().daemon().name("fifo-writer").start(task));
        try (RingFileChannel channel = RingFileChannel.openUninterruptible(fifo, Set.of(READ));
             OutputStream peer = writer.get(10, TimeUnit.SECONDS)) {
            AtomicBoolean interruptedAfterwards = new AtomicBoolean();
            ByteBuffer buffer = ByteBuffer.allocate(16);
            FutureTask<Integer> read = new FutureTask<>(() -> {
                try {
                    return channel.read(buffer);
                } finally {
                    interruptedAfterwards.set(Thread.currentThread().isInterrupted());
                }
            });
            Thread reader = Thread.ofVirtual().name("uninterruptible-reader").start(read);
            VirtualThreads.awaitParked(reader, 5_000);
            reader.interrupt();
            // The wait takes the interrupt (clearing the status for the moment) and parks again.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (reader.isInterrupted() || !VirtualThreads.isParked(reader)) {
                assertTrue(System.nanoTime() < deadline && reader.isAlive(),
                        "the reader did not go back to waiting: " + reader.getState());
                Thread.onSpinWait();
            }
            assertFalse(read.isDone(), "the read returned before its data came");
            peer.write(Bytes.pattern(2, 16));
            peer.flush();
            assertEquals(16, read.get(5, TimeUnit.SECONDS));
            assertArrayEquals(Bytes.pattern(2, 16), buffer.array());
            assertTrue(interruptedAfterwards.get(), "the interrupt status is set again");
            assertTrue(channel.isOpen(), "the interrupt does not close the channel");
        } finally {
            Fifos.unblockOpeners(fifo);
        }
    }
}
