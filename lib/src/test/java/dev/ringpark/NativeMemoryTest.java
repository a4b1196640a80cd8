package dev.ringpark;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native memory: a million operations of mixed sizes (1 B to 2 MiB; heap and direct buffers, heap and
 * native segments, scattering and gathering; reads and writes, positional and relative; some
 * {@code size()} calls, which use a pooled statx buffer) from 32 virtual threads on four files. Every
 * read is checked against a model of what was written. Afterwards the bytes the pool has lent out are
 * back at their starting level, exactly; what it allocated is at most its start plus what the pool
 * may keep free; and no buffer was retired.
 *
 * <p>Sizes are mostly small (9 in 10 up to 4 KiB, 1 in 200 from 64 KiB to 2 MiB) so that the million
 * runs in seconds on a 2-core machine; {@code -Dringpark.test.nativeMemory.operations=N} changes the
 * count.
 *
 * <p>Native Memory Tracking (on for this module's tests, see its pom) is checked too, for what it
 * can see: the JDK's own off-heap memory ({@code Unsafe} and {@code Arena} allocations: direct
 * buffers, segments), which it reports as "Other", must return to its level. Ringpark's buffers come
 * from libc's {@code aligned_alloc}, which NMT does not see, so for those the pool's own statistics
 * are the check.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NativeMemoryTest {

    static final int OPERATIONS = Integer.getInteger("ringpark.test.nativeMemory.operations", 1_000_000);
    static final int THREADS = 32;
    /** What NMT's "Other" may differ by between two quiet moments (allocator rounding, a stray buffer). */
    static final long NMT_SLACK_KB = 4096;
    static final int FILES = 4;
    /** Each thread's region of its file: room for the largest transfer. */
    static final int REGION = 3 << 20;
    static final int MAX_TRANSFER = 2 << 20;
    /** Data to write, taken from at random offsets. */
    static final byte[] SOURCE = Bytes.pattern(99, 2 * MAX_TRANSFER);

    @TempDir
    Path tmp;

    enum Kind { READ, WRITE, READ_RELATIVE, WRITE_RELATIVE, READ_SCATTER, WRITE_GATHER, SIZE }

    enum Memory { HEAP, DIRECT, HEAP_SEGMENT, NATIVE_SEGMENT }

    static int size(SplittableRandom random) {
        int bucket = random.nextInt(200);
        int lo;
        int hi;
        if (bucket < 180) {
            lo = 1;
            hi = 4096;
        } else if (bucket < 199) {
            lo = 4096;
            hi = 64 * 1024;
        } else {
            lo = 64 * 1024;
            hi = MAX_TRANSFER;
        }
        // log-uniform between lo and hi
        double log = Math.log(lo) + random.nextDouble() * (Math.log(hi) - Math.log(lo));
        return Math.clamp(Math.round(Math.exp(log)), lo, hi);
    }

    /** One thread: its channel, its region, a model of the region, and memory to transfer with. */
    static final class Worker {
        final int id;
        final long base;
        final byte[] model = new byte[REGION];
        final SplittableRandom random;
        final ByteBuffer heap = ByteBuffer.allocate(MAX_TRANSFER + 64);
        final ByteBuffer direct = ByteBuffer.allocateDirect(MAX_TRANSFER + 64);
        final byte[] check = new byte[MAX_TRANSFER];
        long operations;
        long bytes;

        Worker(int id) {
            this.id = id;
            this.base = (long) (id / FILES) * REGION;
            this.random = new SplittableRandom(id);
        }

        void run(RingFileChannel ch, Arena arena, int count) throws IOException {
            MemorySegment nativeMemory = arena.allocate(MAX_TRANSFER + 64);
            for (int i = 0; i < count; i++) {
                Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
                if (kind == Kind.SIZE && random.nextInt(10) != 0) {
                    kind = Kind.READ; // size() rarer
                }
                Memory memory = Memory.values()[random.nextInt(Memory.values().length)];
                int size = size(random);
                int at = random.nextInt(REGION - size + 1);
                int skew = random.nextInt(64); // buffers and segments starting at odd offsets too
                operations++;
                bytes += size;
                switch (kind) {
                    case SIZE -> assertTrue(ch.size() >= base + REGION, "size");
                    case WRITE, WRITE_RELATIVE -> {
                        int from = random.nextInt(SOURCE.length - size + 1);
                        write(ch, kind == Kind.WRITE_RELATIVE, memory, nativeMemory, skew, from, size, at);
                        System.arraycopy(SOURCE, from, model, at, size);
                    }
                    case READ, READ_RELATIVE -> read(ch, kind == Kind.READ_RELATIVE, memory, nativeMemory, skew, size, at);
                    case WRITE_GATHER -> {
                        int from = random.nextInt(SOURCE.length - size + 1);
                        int split = random.nextInt(size + 1);
                        // Both native (NATIVE_SEGMENT): one pwritev of the buffers as they are; else gathered.
                        ByteBuffer first = memory == Memory.NATIVE_SEGMENT
                                ? nativeMemory.asSlice(0, split).copyFrom(MemorySegment.ofArray(SOURCE).asSlice(from, split))
                                        .asByteBuffer()
                                : ByteBuffer.wrap(SOURCE, from, split);
                        ByteBuffer second = memory == Memory.HEAP ? ByteBuffer.wrap(SOURCE, from + split, size - split)
                                : direct.clear().put(SOURCE, from + split, size - split).flip();
                        ByteBuffer[] buffers = {first, second};
                        ch.position(base + at);
                        while (first.hasRemaining() || second.hasRemaining()) {
                            ch.write(buffers);
                        }
                        System.arraycopy(SOURCE, from, model, at, size);
                    }
                    case READ_SCATTER -> {
                        int split = random.nextInt(size + 1);
                        ByteBuffer first = memory == Memory.HEAP ? heap.clear().limit(split) : direct.clear().limit(split);
                        // Both native (NATIVE_SEGMENT): one preadv into the buffers as they are; else scattered.
                        ByteBuffer second = memory == Memory.NATIVE_SEGMENT
                                ? nativeMemory.asSlice(0, size - split).asByteBuffer()
                                : ByteBuffer.wrap(check, 0, size - split);
                        ByteBuffer[] buffers = {first, second};
                        ch.position(base + at);
                        while (first.hasRemaining() || second.hasRemaining()) {
                            if (ch.read(buffers) < 0) {
                                throw new AssertionError("end of file inside region " + id);
                            }
                        }
                        if (memory == Memory.NATIVE_SEGMENT) {
                            second.flip().get(check, 0, size - split);
                        }
                        first.flip();
                        byte[] head = new byte[split];
                        first.get(head);
                        expect(head, 0, at, split);
                        expect(check, 0, at + split, size - split);
                    }
                }
            }
        }

        private void write(RingFileChannel ch, boolean relative, Memory memory, MemorySegment nativeMemory, int skew,
                           int from, int size, int at) throws IOException {
            long position = base + at;
            switch (memory) {
                case HEAP, DIRECT -> {
                    ByteBuffer src = memory == Memory.HEAP ? ByteBuffer.wrap(SOURCE, from, size)
                            : direct.clear().position(skew).put(SOURCE, from, size).flip().position(skew);
                    if (relative) {
                        ch.position(position);
                        while (src.hasRemaining()) {
                            ch.write(src);
                        }
                    } else {
                        while (src.hasRemaining()) {
                            ch.write(src, position + src.position() - (memory == Memory.HEAP ? from : skew));
                        }
                    }
                }
                case HEAP_SEGMENT, NATIVE_SEGMENT -> {
                    MemorySegment src = memory == Memory.HEAP_SEGMENT
                            ? MemorySegment.ofArray(SOURCE).asSlice(from, size)
                            : nativeMemory.asSlice(skew, size).copyFrom(MemorySegment.ofArray(SOURCE).asSlice(from, size));
                    long done = 0;
                    while (done < size) {
                        done += ch.write(src.asSlice(done), position + done);
                    }
                }
            }
        }

        private void read(RingFileChannel ch, boolean relative, Memory memory, MemorySegment nativeMemory, int skew,
                          int size, int at) throws IOException {
            long position = base + at;
            switch (memory) {
                case HEAP, DIRECT -> {
                    ByteBuffer dst = (memory == Memory.HEAP ? heap : direct).clear().position(skew).limit(skew + size);
                    if (relative) {
                        ch.position(position);
                    }
                    while (dst.hasRemaining()) {
                        int n = relative ? ch.read(dst) : ch.read(dst, position + dst.position() - skew);
                        if (n < 0) {
                            throw new AssertionError("end of file inside region " + id);
                        }
                    }
                    dst.position(skew);
                    dst.get(check, 0, size);
                }
                case HEAP_SEGMENT, NATIVE_SEGMENT -> {
                    MemorySegment dst = memory == Memory.HEAP_SEGMENT ? MemorySegment.ofArray(check).asSlice(0, size)
                            : nativeMemory.asSlice(skew, size);
                    long done = 0;
                    while (done < size) {
                        int n = ch.read(dst.asSlice(done), position + done);
                        if (n < 0) {
                            throw new AssertionError("end of file inside region " + id);
                        }
                        done += n;
                    }
                    if (memory == Memory.NATIVE_SEGMENT) {
                        MemorySegment.ofArray(check).copyFrom(dst);
                    }
                }
            }
            expect(check, 0, at, size);
        }

        private void expect(byte[] read, int from, int at, int size) {
            if (!Arrays.equals(read, from, from + size, model, at, at + size)) {
                throw new AssertionError("thread " + id + " read " + size + " bytes at " + at + ": "
                        + Bytes.describe(Arrays.copyOfRange(read, from, from + size)) + ", expected "
                        + Bytes.describe(Arrays.copyOfRange(model, at, at + size)));
            }
        }
    }

    /** Runs {@code operations} spread over the threads; returns the failures. */
    Queue<String> run(Path dir, int operations, AtomicLong bytes) throws Exception {
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        List<RingFileChannel> channels = new ArrayList<>();
        for (int f = 0; f < FILES; f++) {
            RingFileChannel ch = RingFileChannel.open(dir.resolve("file" + f), CREATE, READ, WRITE);
            ch.write(ByteBuffer.allocate(1), (long) THREADS / FILES * REGION - 1); // every region exists: zeros
            channels.add(ch);
        }
        // Each thread has a channel of its own on its file (relative calls move the channel's position).
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Worker worker = new Worker(t);
            Path file = dir.resolve("file" + t % FILES);
            int count = operations / THREADS + (t < operations % THREADS ? 1 : 0);
            threads.add(Thread.ofVirtual().start(() -> {
                try (RingFileChannel ch = RingFileChannel.open(file, READ, WRITE); Arena arena = Arena.ofConfined()) {
                    worker.run(ch, arena, count);
                } catch (Throwable e) {
                    failures.add("thread " + worker.id + ": " + InterruptStormTest.stackTrace(e));
                } finally {
                    bytes.addAndGet(worker.bytes);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (FileChannel ch : channels) {
            ch.close();
        }
        return failures;
    }

    @Test
    void aMillionOperationsGiveBackEveryNativeBuffer() throws Exception {
        // Warm-up: the poller, and the pool at its working level.
        run(java.nio.file.Files.createDirectory(tmp.resolve("warm-up")), 20_000, new AtomicLong());

        Map<Integer, String> fdsBefore = OpenDescriptors.stable();
        long retiredBefore = NativePoolAccounting.retiredBytes();
        long lentBefore = NativePoolAccounting.lentBytes();
        long allocatedBefore = NativePoolAccounting.allocatedBytes();
        long otherBeforeKb = nmtOtherCommittedKb();
        long start = System.nanoTime();

        AtomicLong bytes = new AtomicLong();
        Queue<String> failures = run(java.nio.file.Files.createDirectory(tmp.resolve("run")), OPERATIONS, bytes);

        long millis = (System.nanoTime() - start) / 1_000_000;
        long retiredAfter = NativePoolAccounting.retiredBytes();
        long lentAfter = NativePoolAccounting.lentBytes();
        long allocatedAfter = NativePoolAccounting.allocatedBytes();
        long otherAfterKb = nmtOtherCommittedKb();
        Map<Integer, String> fdsAfter = OpenDescriptors.settle(fdsBefore, 2_000);
        System.out.printf("NativeMemoryTest: %d operations, %d MiB, in %d ms; pool allocated %d -> %d bytes (bound %d),"
                        + " lent %d -> %d, retired %d -> %d; fds %d -> %d%n", OPERATIONS, bytes.get() >> 20, millis,
                allocatedBefore, allocatedAfter, NativePoolAccounting.poolBoundBytes(), lentBefore, lentAfter,
                retiredBefore, retiredAfter, fdsBefore.size(), fdsAfter.size());
        System.out.printf("NativeMemoryTest: NMT Other committed %d -> %d KiB%n", otherBeforeKb, otherAfterKb);
        assertAll("after " + OPERATIONS + " operations",
                () -> assertTrue(otherBeforeKb >= 0, "Native Memory Tracking is off: run with "
                        + "-XX:NativeMemoryTracking=summary, as the lib pom does"),
                () -> assertTrue(otherAfterKb <= otherBeforeKb + NMT_SLACK_KB, "NMT's Other grew from "
                        + otherBeforeKb + " to " + otherAfterKb + " KiB"),
                () -> assertEquals(List.of(), failures.stream().limit(3).toList(), failures.size() + " threads failed"),
                () -> assertEquals(lentBefore, lentAfter, "native bytes lent out and not given back to the pool"),
                () -> assertEquals(retiredBefore, retiredAfter, "bytes of retired buffers (the poller never failed)"),
                () -> assertTrue(allocatedAfter <= allocatedBefore + NativePoolAccounting.poolBoundBytes(),
                        "allocated " + allocatedAfter + " beyond what the pool may keep"),
                () -> assertEquals(fdsBefore.size(), fdsAfter.size(),
                        "open descriptors: " + OpenDescriptors.difference(fdsBefore, fdsAfter)));
    }

    /**
     * NMT's committed "Other" memory in KiB, once the garbage collector has had the chance to free
     * unreachable direct buffers; -1 when Native Memory Tracking is off.
     */
    static long nmtOtherCommittedKb() throws Exception {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
        }
        String summary = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
        Matcher other = Pattern.compile("-\\s+Other \\(reserved=\\d+KB, committed=(\\d+)KB").matcher(summary);
        return other.find() ? Long.parseLong(other.group(1)) : -1;
    }
}
