package dev.ringpark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every form that takes a deadline does what its form without one does when the deadline is far
 * (same results, positions and bytes), checks its arguments as that form does, and times out, with
 * nothing transferred, when it has to wait past its deadline: the scattering and gathering forms on
 * a FIFO, through the kernel's iovecs (direct buffers) and through a bounce buffer (heap buffers).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeadlineTest {
    static final Duration FAR = Duration.ofMinutes(5);
    static final Duration SHORT = Duration.ofMillis(200);

    @TempDir
    Path tmp;

    @Test
    void everyFormWithAFarDeadlineDoesWhatTheFormWithoutOneDoes() throws Exception {
        Path file = Files.write(tmp.resolve("file"), Bytes.pattern(1, 8192));
        try (RingFileChannel channel = VirtualThreads.call(() -> RingFileChannel.open(file, READ, WRITE));
             Arena arena = Arena.ofShared()) {
            VirtualThreads.call(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(100);
                assertEquals(100, channel.read(buffer, FAR));
                assertEquals(100, channel.position(), "a relative read moves the position");
                assertArrayEquals(Arrays.copyOf(Bytes.pattern(1, 8192), 100), buffer.array());

                ByteBuffer at = ByteBuffer.allocateDirect(50);
                assertEquals(50, channel.read(at, 1000, FAR));
                assertEquals(100, channel.position(), "a positional read does not");
                ByteBuffer[] scattered = {ByteBuffer.allocate(10), ByteBuffer.allocateDirect(20)};
                assertEquals(30, channel.read(scattered, FAR));
                assertEquals(130, channel.position());
                ByteBuffer[] direct = {ByteBuffer.allocateDirect(10), ByteBuffer.allocateDirect(20)};
                assertEquals(20, channel.read(direct, 1, 1, FAR));
                assertEquals(150, channel.position());

                MemorySegment segment = arena.allocate(64);
                assertEquals(64, channel.read(segment, 64, FAR));
                assertArrayEquals(Arrays.copyOfRange(Bytes.pattern(1, 8192), 64, 128), segment.toArray(JAVA_BYTE));
                MemorySegment heap = MemorySegment.ofArray(new byte[32]);
                assertEquals(32, channel.read(heap, 0, FAR));

                assertEquals(4, channel.write(ByteBuffer.wrap(new byte[] {9, 9, 9, 9}), FAR));
                assertEquals(154, channel.position());
                assertEquals(2, channel.write(ByteBuffer.wrap(new byte[] {8, 8}), 0, FAR));
                assertEquals(3, channel.write(new ByteBuffer[] {ByteBuffer.wrap(new byte[] {7, 7, 7})}, FAR));
                assertEquals(1, channel.write(new ByteBuffer[] {ByteBuffer.allocate(1), ByteBuffer.wrap(new byte[] {6})},
                        1, 1, FAR));
                assertEquals(5, channel.write(arena.allocateFrom(JAVA_BYTE, new byte[] {5, 5, 5, 5, 5}), 200, FAR));
                channel.force(true, FAR);
                channel.force(false, FAR);
                assertEquals(158, channel.position());
                return null;
            });
        }
        byte[] expected = Bytes.pattern(1, 8192);
        expected[0] = 8;
        expected[1] = 8;
        Arrays.fill(expected, 150, 154, (byte) 9);
        Arrays.fill(expected, 154, 157, (byte) 7);
        expected[157] = 6;
        Arrays.fill(expected, 200, 205, (byte) 5);
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @Test
    void theFormsWithADeadlineCheckTheirArgumentsAsTheOthersDo() throws Exception {
        Path file = Files.write(tmp.resolve("file"), new byte[16]);
        RingFileChannel readOnly = VirtualThreads.call(() -> RingFileChannel.open(file, READ));
        RingFileChannel writeOnly = VirtualThreads.call(() -> RingFileChannel.open(file, WRITE));
        try {
            assertThrows(NullPointerException.class, () -> readOnly.read(ByteBuffer.allocate(1), (Duration) null));
            assertThrows(NullPointerException.class, () -> readOnly.force(true, (Duration) null));
            assertThrows(IllegalArgumentException.class, () -> readOnly.read(ByteBuffer.allocate(1), -1, FAR));
            assertThrows(NonReadableChannelException.class, () -> writeOnly.read(ByteBuffer.allocate(1), FAR));
            assertThrows(NonWritableChannelException.class, () -> readOnly.write(ByteBuffer.allocate(1), FAR));
            assertThrows(IndexOutOfBoundsException.class,
                    () -> readOnly.read(new ByteBuffer[] {ByteBuffer.allocate(1)}, 0, 2, FAR));
        } finally {
            readOnly.close();
            writeOnly.close();
        }
        assertThrows(ClosedChannelException.class, () -> readOnly.read(ByteBuffer.allocate(1), FAR));
        assertThrows(ClosedChannelException.class, () -> readOnly.force(true, FAR));
    }

    /** Zero and negative timeouts: a read the page cache answers on the caller returns its data. */
    @Test
    void aReadWithNoTimeLeftReturnsWhatNeedsNoWaitingOrTimesOut() throws Exception {
        Path file = Files.write(tmp.resolve("file"), Bytes.pattern(2, 4096));
        try (RingFileChannel channel = VirtualThreads.call(() -> RingFileChannel.open(file, READ))) {
            for (Duration none : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1)}) {
                ByteBuffer buffer = ByteBuffer.allocate(4096);
                try {
                    assertEquals(4096, (int) VirtualThreads.call(() -> channel.read(buffer, 0, none)));
                    assertArrayEquals(Bytes.pattern(2, 4096), buffer.array());
                } catch (InterruptedByTimeoutException timedOut) {
                    // Allowed where the read had to be handed over (no page-cache fast path here).
                    assertArrayEquals(new byte[4096], buffer.array(), "a read that timed out wrote nothing");
                }
                assertTrue(channel.isOpen());
            }
        }
    }

    /** Huge timeouts are taken as very long ones, not as overflows that would time out at once. */
    @Test
    void aHugeTimeoutIsAVeryLongOne() throws Exception {
        Path file = Files.write(tmp.resolve("file"), Bytes.pattern(3, 64));
        try (RingFileChannel channel = VirtualThreads.call(() -> RingFileChannel.open(file, READ))) {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            assertEquals(64, (int) VirtualThreads.call(() -> channel.read(buffer, 0,
                    Duration.ofSeconds(Long.MAX_VALUE))));
            assertEquals(64, (int) VirtualThreads.call(() -> channel.read(buffer.clear(), 0,
                    Duration.ofNanos(Long.MAX_VALUE))));
        }
    }

    /** Scattering reads and gathering writes of a FIFO time out having moved nothing. */
    @Test
    void scatteringAndGatheringFormsTimeOutOnAFifo() throws Exception {
        Path fifo = Fifos.make(tmp.resolve("fifo"));
        CompletableFuture<OutputStream> writer = CompletableFuture.supplyAsync(() -> {
            try {
                return new FileOutputStream(fifo.toFile());
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, task -> Thread.ofPlatform().daemon().name("fifo-writer").start(task));
        try (RingFileChannel channel = VirtualThreads.call(() -> RingFileChannel.open(fifo, Set.of(READ)));
             OutputStream peer = writer.get(10, TimeUnit.SECONDS)) {
            for (ByteBuffer[] buffers : new ByteBuffer[][] {
                    {ByteBuffer.allocate(8), ByteBuffer.allocate(8)},
                    {ByteBuffer.allocateDirect(8), ByteBuffer.allocateDirect(8)}}) {
                assertThrows(InterruptedByTimeoutException.class,
                        () -> VirtualThreads.call(() -> channel.read(buffers, SHORT)));
                if (Ringpark.offloaded()) {
                    break; // only closing the JDK's channel stops its FIFO read (documented)
                }
                assertTrue(channel.isOpen());
                assertEquals(0, buffers[0].position() + buffers[1].position(), "nothing was read");
            }
            if (!Ringpark.offloaded()) {
                peer.write(Bytes.pattern(4, 16));
                peer.flush();
                ByteBuffer all = ByteBuffer.allocate(16);
                assertEquals(16, (int) VirtualThreads.call(() -> channel.read(all, FAR)));
                assertArrayEquals(Bytes.pattern(4, 16), all.array(), "the timed-out reads consumed nothing");
            }
        } finally {
            Fifos.unblockOpeners(fifo);
        }
    }

    /** A gathering write to a full FIFO times out; the counts it and its predecessors returned are what the reader gets. */
    @Test
    void gatheringWritesReportExactlyWhatTheReaderGets() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(Ringpark.offloaded(),
                "without native access a write the JDK must close to stop reports nothing (documented)");
        Path fifo = Fifos.make(tmp.resolve("fifo"));
        CompletableFuture<InputStream> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return new FileInputStream(fifo.toFile());
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, task -> Thread.ofPlatform().daemon().name("fifo-reader").start(task));
        RingFileChannel channel = VirtualThreads.call(() -> RingFileChannel.open(fifo, Set.of(WRITE)));
        try (InputStream peer = reader.get(10, TimeUnit.SECONDS)) {
            long reported = 0;
            int round = 0;
            boolean timedOut = false;
            while (!timedOut) {
                ByteBuffer[] buffers = {ByteBuffer.wrap(Bytes.pattern(++round, 20_000)),
                        ByteBuffer.allocateDirect(20_000).put(Bytes.pattern(round + 1000, 20_000)).flip()};
                try {
                    reported += VirtualThreads.call(() -> channel.write(buffers, SHORT));
                } catch (InterruptedByTimeoutException e) {
                    timedOut = true;
                    assertEquals(0, buffers[0].position() + buffers[1].position(), "a write that timed out moved nothing");
                }
            }
            assertTrue(channel.isOpen());
            channel.close();
            assertEquals(reported, peer.readAllBytes().length, "the reader gets exactly what the writes reported");
        } finally {
            channel.close();
            Fifos.unblockOpeners(fifo);
        }
    }
}
