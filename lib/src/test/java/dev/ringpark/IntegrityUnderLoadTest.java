package dev.ringpark;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 virtual threads share one RingFileChannel; each writes its own 4 KiB region with a positional
 * write and reads it back with a positional read, through heap, direct and native-segment memory
 * (buffers and segments starting at odd offsets too). Every byte is checked by the thread that wrote
 * it and, at the end, once more through the JDK's FileChannel.
 */
class IntegrityUnderLoadTest {

    static final int THREADS = 10_000;
    static final int REGION = 4096;

    /** The memory one thread uses for its write and its read. */
    enum Memory {
        HEAP_BUFFER, HEAP_BUFFER_AT_OFFSET, DIRECT_BUFFER, DIRECT_BUFFER_AT_OFFSET, HEAP_SEGMENT,
        CONFINED_SEGMENT, CONFINED_SEGMENT_AT_OFFSET, SHARED_SEGMENT;

        /** Writes {@code data} at {@code position}, then reads it back into fresh memory; returns what was read. */
        byte[] writeThenRead(RingFileChannel ch, byte[] data, long position, MemorySegment sharedSlice) throws IOException {
            return switch (this) {
                case HEAP_BUFFER -> roundTrip(ch, ByteBuffer.allocate(REGION), ByteBuffer.allocate(REGION), data, position);
                case HEAP_BUFFER_AT_OFFSET -> roundTrip(ch, ByteBuffer.allocate(REGION + 11).position(11).slice(),
                        ByteBuffer.allocate(REGION + 5).position(5).slice(), data, position);
                case DIRECT_BUFFER -> roundTrip(ch, ByteBuffer.allocateDirect(REGION), ByteBuffer.allocateDirect(REGION),
                        data, position);
                case DIRECT_BUFFER_AT_OFFSET -> roundTrip(ch, ByteBuffer.allocateDirect(REGION + 3).position(3).slice(),
                        ByteBuffer.allocateDirect(REGION + 9).position(9).slice(), data, position);
                case HEAP_SEGMENT -> roundTrip(ch, MemorySegment.ofArray(new byte[REGION]),
                        MemorySegment.ofArray(new byte[REGION]), data, position);
                case CONFINED_SEGMENT -> {
                    try (Arena arena = Arena.ofConfined()) {
                        yield roundTrip(ch, arena.allocate(REGION), arena.allocate(REGION), data, position);
                    }
                }
                case CONFINED_SEGMENT_AT_OFFSET -> {
                    try (Arena arena = Arena.ofConfined()) {
                        yield roundTrip(ch, arena.allocate(REGION + 1).asSlice(1), arena.allocate(REGION + 6).asSlice(6),
                                data, position);
                    }
                }
                case SHARED_SEGMENT -> roundTrip(ch, sharedSlice.asSlice(0, REGION), sharedSlice.asSlice(REGION, REGION),
                        data, position);
            };
        }
    }

    static byte[] roundTrip(RingFileChannel ch, ByteBuffer out, ByteBuffer in, byte[] data, long position)
            throws IOException {
        out.put(data).flip();
        long at = position;
        while (out.hasRemaining()) {
            at += ch.write(out, at);
        }
        while (in.hasRemaining()) {
            int n = ch.read(in, position + in.position());
            if (n < 0) {
                throw new IOException("EOF at " + (position + in.position()) + " inside a region just written");
            }
        }
        byte[] read = new byte[REGION];
        in.flip().get(read);
        return read;
    }

    static byte[] roundTrip(RingFileChannel ch, MemorySegment out, MemorySegment in, byte[] data, long position)
            throws IOException {
        out.copyFrom(MemorySegment.ofArray(data));
        long done = 0;
        while (done < REGION) {
            done += ch.write(out.asSlice(done), position + done);
        }
        done = 0;
        while (done < REGION) {
            int n = ch.read(in.asSlice(done), position + done);
            if (n < 0) {
                throw new IOException("EOF at " + (position + done) + " inside a region just written");
            }
            done += n;
        }
        return in.toArray(ValueLayout.JAVA_BYTE);
    }

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void tenThousandVirtualThreadsEachReadBackExactlyWhatTheyWrote() throws Exception {
        Path file = tmp.resolve("shared");
        Memory[] kinds = Memory.values();
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        try (Arena shared = Arena.ofShared();
             RingFileChannel ch = RingFileChannel.open(file, READ, WRITE, CREATE_NEW)) {
            MemorySegment sharedMemory = shared.allocate((long) THREADS * 2 * REGION / kinds.length + 2 * REGION);
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < THREADS; i++) {
                    int region = i;
                    Memory kind = kinds[i % kinds.length];
                    MemorySegment sharedSlice = sharedMemory.asSlice((long) (i / kinds.length) * 2 * REGION, 2 * REGION);
                    threads.submit(() -> {
                        try {
                            byte[] data = Bytes.pattern(region, REGION);
                            byte[] read = kind.writeThenRead(ch, data, (long) region * REGION, sharedSlice);
                            int at = Arrays.mismatch(data, read);
                            if (at >= 0) {
                                problems.add("region " + region + " (" + kind + "): first wrong byte at " + at);
                            }
                        } catch (Throwable e) {
                            problems.add("region " + region + " (" + kind + "): " + e);
                        }
                        return null;
                    });
                }
            }
            assertEquals(List.of(), problems.stream().limit(20).toList(), problems.size() + " regions went wrong");
            assertEquals((long) THREADS * REGION, ch.size(), "the file's size");
        }
        try (FileChannel jdk = FileChannel.open(file, READ)) {
            ByteBuffer region = ByteBuffer.allocate(REGION);
            for (int i = 0; i < THREADS; i++) {
                region.clear();
                while (region.hasRemaining()) {
                    assertTrue(jdk.read(region, (long) i * REGION + region.position()) > 0, "short file");
                }
                int at = Arrays.mismatch(Bytes.pattern(i, REGION), region.array());
                assertEquals(-1, at, "region " + i + " as the JDK reads it: first wrong byte");
            }
        }
    }
}
