package dev.ringpark;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringpark.poller.NativeBufferPool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded soak: readers, writers, force callers, openers and closers on {@value #FILES} files for
 * {@code -Dringpark.soak.seconds} seconds (default {@value #DEFAULT_SECONDS}, at most
 * {@value #MAX_SECONDS}), every file checked byte for byte against an in-memory model at the end.
 *
 * <p>The model is exact: each file is cut into regions with a lock each, and every read or write of a
 * region holds its lock while it runs and updates the model. Shared channels are replaced under load
 * by closers, so an operation may meet its channel closed ({@link ClosedChannelException} or its
 * subclass {@code AsynchronousCloseException}): that is expected, counted, and the operation is done
 * again on the new channel (a write is idempotent, so the model stays exact). Any other exception, and
 * any byte that differs from the model, is a failure; there must be none. Prints operations done,
 * failures, peak OS threads and the native memory of the buffer pool.
 */
class SoakTest {
    static final String SECONDS_PROP_NAME = "ringpark.soak.seconds";
    static final int DEFAULT_SECONDS = 120;
    /** The timeout below must cover the run, the final checks and the joins. */
    static final int MAX_SECONDS = 1500;
    static final int FILES = 16;
    static final int REGIONS = 32;
    static final int REGION_BYTES = 8192;
    static final int FILE_BYTES = REGIONS * REGION_BYTES;
    static final int READERS = 24;
    static final int WRITERS = 12;
    static final int FORCERS = 4;
    static final int OPENERS = 4;
    static final int CLOSERS = 2;

    @TempDir
    Path tmp;

    private final byte[][] model = new byte[FILES][];
    private final ReentrantLock[][] regionLocks = new ReentrantLock[FILES][REGIONS];
    private final AtomicReferenceArray<RingFileChannel> shared = new AtomicReferenceArray<>(FILES);
    private final Path[] files = new Path[FILES];

    private final LongAdder reads = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder forces = new LongAdder();
    private final LongAdder opens = new LongAdder();
    private final LongAdder closes = new LongAdder();
    private final LongAdder bytesMoved = new LongAdder();
    private final LongAdder closedUnderUse = new LongAdder();
    private final AtomicLong failureCount = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

    @Test
    @Timeout(value = MAX_SECONDS + 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void mixedWorkloadKeepsEveryByteAndFailsNothing() throws Exception {
        int seconds = Integer.getInteger(SECONDS_PROP_NAME, DEFAULT_SECONDS);
        assertTrue(seconds > 0 && seconds <= MAX_SECONDS, SECONDS_PROP_NAME + " must be 1.." + MAX_SECONDS);
        for (int f = 0; f < FILES; f++) {
            files[f] = tmp.resolve("soak-" + f);
            model[f] = Bytes.pattern(f, FILE_BYTES);
            Files.write(files[f], model[f]);
            for (int r = 0; r < REGIONS; r++) {
                regionLocks[f][r] = new ReentrantLock();
            }
            shared.set(f, RingFileChannel.open(files[f], READ, WRITE));
        }
        NativeBufferPool pool = NativeBufferPool.shared();
        long retiredBefore = pool.retiredBytes();
        long allocatedBefore = pool.allocatedBytes();
        OsThreadCountTest.warmUpVirtualThreadScheduler();
        int baselineThreads = OsThreadCountTest.osThreads();
        String baselineThreadNames;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            baselineThreadNames = Sampler.threadNames(tasks.toList());
        }

        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        Sampler sampler = new Sampler();
        Thread sampling = Thread.ofPlatform().daemon().name("soak-sampler").start(sampler);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            workers.add(worker("reader-" + i, i, end, this::readOnce));
        }
        for (int i = 0; i < WRITERS; i++) {
            workers.add(worker("writer-" + i, 100 + i, end, this::writeOnce));
        }
        for (int i = 0; i < FORCERS; i++) {
            workers.add(worker("forcer-" + i, 200 + i, end, this::forceOnce));
        }
        for (int i = 0; i < OPENERS; i++) {
            workers.add(worker("opener-" + i, 300 + i, end, this::openUseCloseOnce));
        }
        for (int i = 0; i < CLOSERS; i++) {
            workers.add(worker("closer-" + i, 400 + i, end, this::replaceSharedChannelOnce));
        }
        long lastReport = System.nanoTime();
        for (Thread worker : workers) {
            while (!worker.join(Duration.ofSeconds(10))) {
                long now = System.nanoTime();
                if (now >= end + TimeUnit.SECONDS.toNanos(60)) {
                    org.junit.jupiter.api.Assertions.fail(worker + " has not ended 60 s after the soak ended; every thread: "
                            + ThreadDump.all(workers));
                }
                if (now - lastReport > TimeUnit.SECONDS.toNanos(30)) {
                    lastReport = now;
                    System.out.println("soak: " + (now - start) / 1_000_000_000 + " s, " + operations() + " operations, "
                            + failureCount.get() + " failures");
                }
            }
        }
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        sampler.stop = true;
        sampling.join();

        // Close the shared channels (bounded: a close waits uninterruptibly), then compare with the model.
        Thread closer = Thread.ofVirtual().start(() -> {
            for (int f = 0; f < FILES; f++) {
                try {
                    shared.get(f).close();
                } catch (IOException e) {
                    fail("closing channel of file " + f, e);
                }
            }
        });
        assertTrue(closer.join(Duration.ofSeconds(30)), "closing the shared channels hangs");
        int filesDiffering = 0;
        for (int f = 0; f < FILES; f++) {
            if (!Arrays.equals(model[f], Files.readAllBytes(files[f]))) {
                filesDiffering++;
            }
        }
        long retired = pool.retiredBytes() - retiredBefore;
        String summary = "soak " + seconds + " s (" + elapsedMillis + " ms): operations=" + operations()
                + " reads=" + reads.sum() + " writes=" + writes.sum() + " forces=" + forces.sum() + " opens=" + opens.sum()
                + " closes=" + closes.sum() + " bytesMoved=" + bytesMoved.sum() + " closedUnderUse=" + closedUnderUse.sum()
                + " failures=" + failureCount.get() + " filesDiffering=" + filesDiffering
                + " osThreadsBaseline=" + baselineThreads + " osThreadsPeak=" + sampler.peakThreads
                + " nativeAllocatedStart=" + allocatedBefore + " nativeAllocatedPeak=" + sampler.peakAllocated
                + " nativeAllocatedEnd=" + pool.allocatedBytes() + " nativeRetired=" + retired
                + " driver=\"" + Ringpark.driver() + "\"";
        System.out.println(summary);
        System.out.println("soak threads at baseline: " + baselineThreadNames);
        System.out.println("soak threads at peak:     " + sampler.peakThreadNames);
        assertEquals(0, failureCount.get(), () -> "failures: " + failures);
        for (int f = 0; f < FILES; f++) {
            assertArrayEquals(model[f], Files.readAllBytes(files[f]), "file " + f + " differs from the model");
        }
        assertEquals(0, retired, "bounce buffers retired without a poller failure");
        // Carriers stay at 2 or 3; what grows is io_uring's own io-wq workers (iou-wrk-N, threads of this
        // process that the kernel starts for fsync, open, close and writes it cannot do inline), which
        // the kernel bounds and retires when idle.
        assertTrue(sampler.peakThreads <= baselineThreads + 32, "OS threads grew: " + summary);
        assertTrue(operations() > seconds * 100L, "suspiciously few operations: " + summary);
    }

    private long operations() {
        return reads.sum() + writes.sum() + forces.sum() + opens.sum() + closes.sum();
    }

    /** One operation of a worker: returns normally, or throws what counts as a failure. */
    @FunctionalInterface
    interface Step {
        void run(SplittableRandom random) throws Exception;
    }

    private Thread worker(String name, long seed, long end, Step step) {
        return Thread.ofVirtual().name(name).start(() -> {
            SplittableRandom random = new SplittableRandom(seed);
            while (System.nanoTime() < end) {
                try {
                    step.run(random);
                } catch (Throwable t) {
                    fail(name, t);
                }
            }
        });
    }

    private void fail(String what, Throwable t) {
        if (failureCount.incrementAndGet() <= 20) {
            failures.add(what + ": " + t);
            t.printStackTrace();
        }
    }

    private void failMismatch(String what) {
        if (failureCount.incrementAndGet() <= 20) {
            failures.add(what);
            System.out.println("soak mismatch: " + what);
        }
    }

    /** Runs {@code call} on the current shared channel of {@code file}, again on a new one if it was closed. */
    private <T> T onShared(int file, ChannelCall<T> call) throws IOException {
        for (;;) {
            RingFileChannel channel = shared.get(file);
            try {
                return call.apply(channel);
            } catch (ClosedChannelException closed) {
                if (channel.isOpen()) {
                    throw closed; // closed, yet the channel says open: a failure
                }
                closedUnderUse.increment();
            }
        }
    }

    @FunctionalInterface
    interface ChannelCall<T> {
        T apply(RingFileChannel channel) throws IOException;
    }

    private void readOnce(SplittableRandom random) throws Exception {
        int f = random.nextInt(FILES);
        int r = random.nextInt(REGIONS);
        int offset = random.nextInt(REGION_BYTES);
        int length = 1 + random.nextInt(REGION_BYTES - offset);
        long position = (long) r * REGION_BYTES + offset;
        boolean direct = random.nextBoolean();
        ReentrantLock lock = regionLocks[f][r];
        lock.lock();
        try {
            byte[] got = onShared(f, channel -> readFully(channel, position, length, direct));
            reads.increment();
            bytesMoved.add(length);
            if (!Arrays.equals(model[f], (int) position, (int) position + length, got, 0, length)) {
                failMismatch("file " + f + " region " + r + " at " + position + " (" + length + " bytes, direct "
                        + direct + "): read " + Bytes.describe(got) + ", model " + Bytes.describe(
                        Arrays.copyOfRange(model[f], (int) position, (int) position + length)));
            }
        } finally {
            lock.unlock();
        }
    }

    private void writeOnce(SplittableRandom random) throws Exception {
        int f = random.nextInt(FILES);
        int r = random.nextInt(REGIONS);
        int offset = random.nextInt(REGION_BYTES);
        int length = 1 + random.nextInt(REGION_BYTES - offset);
        long position = (long) r * REGION_BYTES + offset;
        byte[] data = Bytes.pattern(random.nextLong(), length);
        boolean direct = random.nextBoolean();
        ReentrantLock lock = regionLocks[f][r];
        lock.lock();
        try {
            onShared(f, channel -> writeFully(channel, position, data, direct));
            System.arraycopy(data, 0, model[f], (int) position, length);
            writes.increment();
            bytesMoved.add(length);
        } finally {
            lock.unlock();
        }
    }

    private void forceOnce(SplittableRandom random) throws Exception {
        int f = random.nextInt(FILES);
        boolean metaData = random.nextBoolean();
        onShared(f, channel -> {
            channel.force(metaData);
            return null;
        });
        forces.increment();
        LockSupport.parkNanos(1_000_000L * random.nextInt(5));
    }

    /** Opens a channel of its own, reads or writes one region through it (under the region's lock), closes it. */
    private void openUseCloseOnce(SplittableRandom random) throws Exception {
        int f = random.nextInt(FILES);
        int r = random.nextInt(REGIONS);
        long position = (long) r * REGION_BYTES;
        boolean write = random.nextBoolean();
        ReentrantLock lock = regionLocks[f][r];
        lock.lock();
        try (RingFileChannel channel = write ? RingFileChannel.open(files[f], WRITE)
                : RingFileChannel.open(files[f], READ)) {
            opens.increment();
            if (write) {
                byte[] data = Bytes.pattern(random.nextLong(), REGION_BYTES);
                writeFully(channel, position, data, random.nextBoolean());
                System.arraycopy(data, 0, model[f], (int) position, REGION_BYTES);
                writes.increment();
            } else {
                if (channel.size() != FILE_BYTES) {
                    failMismatch("file " + f + " has size " + channel.size());
                }
                byte[] got = readFully(channel, position, REGION_BYTES, random.nextBoolean());
                reads.increment();
                if (!Arrays.equals(model[f], (int) position, (int) position + REGION_BYTES, got, 0, REGION_BYTES)) {
                    failMismatch("file " + f + " region " + r + " through a fresh channel: read " + Bytes.describe(got));
                }
            }
            bytesMoved.add(REGION_BYTES);
        } finally {
            closes.increment();
            lock.unlock();
        }
    }

    /** Replaces a file's shared channel with a new one and closes the old one while others may use it. */
    private void replaceSharedChannelOnce(SplittableRandom random) throws Exception {
        LockSupport.parkNanos(1_000_000L * (5 + random.nextInt(20)));
        int f = random.nextInt(FILES);
        RingFileChannel fresh = RingFileChannel.open(files[f], READ, WRITE);
        opens.increment();
        RingFileChannel old = shared.getAndSet(f, fresh);
        old.close();
        closes.increment();
    }

    private static byte[] readFully(RingFileChannel channel, long position, int length, boolean direct) throws IOException {
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(length) : ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("end of file at " + (position + buffer.position()));
            }
        }
        byte[] bytes = new byte[length];
        buffer.flip().get(bytes);
        return bytes;
    }

    private static Void writeFully(RingFileChannel channel, long position, byte[] data, boolean direct) throws IOException {
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(data.length) : ByteBuffer.allocate(data.length);
        buffer.put(data).flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer, position + buffer.position());
        }
        return null;
    }

    /** Samples the OS thread count and the pool's native memory every 100 ms. */
    static final class Sampler implements Runnable {
        volatile boolean stop;
        volatile int peakThreads;
        volatile long peakAllocated;
        volatile String peakThreadNames = "";

        /** The threads' names (as the kernel keeps them, 15 characters), digits dropped, with counts. */
        static String threadNames(List<Path> tasks) {
            java.util.Map<String, Integer> names = new java.util.TreeMap<>();
            for (Path task : tasks) {
                try {
                    names.merge(Files.readString(task.resolve("comm")).trim().replaceAll("[0-9]+", "N"), 1, Integer::sum);
                } catch (IOException ended) {
                    // ended meanwhile
                }
            }
            return names.toString();
        }

        @Override
        public void run() {
            while (!stop) {
                try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                    List<Path> list = tasks.toList();
                    if (list.size() > peakThreads) {
                        peakThreads = list.size();
                        peakThreadNames = threadNames(list);
                    }
                } catch (IOException e) {
                    return;
                }
                peakAllocated = Math.max(peakAllocated, NativeBufferPool.shared().allocatedBytes());
                LockSupport.parkNanos(100_000_000);
            }
        }
    }
}
