package dev.ringpark;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interrupt storms: 1,000 virtual threads each write and read back a region of a file of their own
 * (heap and direct buffers, native segments; relative and positional; a few regions larger than one
 * bounce buffer, so that a write goes through it in two chunks) while a storm thread delivers 10,000
 * interrupts to random workers at random moments.
 *
 * <p>A worker whose call throws {@link ClosedByInterruptException} clears its interrupt status, opens
 * its file again and repeats the call (a write interrupted may or may not have happened, so the whole
 * region is written again). Afterwards: every file holds what its worker last wrote, byte for byte; no
 * exception other than ClosedByInterruptException and AsynchronousCloseException appeared; no buffer
 * was retired (the poller never failed) and every pooled native buffer is back in the pool; no
 * descriptor leaked.
 */
class InterruptStormTest {

    static final int WORKERS = 1_000;
    static final int INTERRUPTS = 10_000;
    /** One worker in this many writes a region of 1.5 MiB, more than one bounce buffer. */
    static final int LARGE_EVERY = 100;

    @TempDir
    Path tmp;

    enum Memory { HEAP, DIRECT, SEGMENT }

    /** What one storm did, for the checks and the log. */
    record Outcome(List<Worker> workers, Queue<String> unexpected, long interruptsDelivered, long elapsedMillis) {
        long count(java.util.function.ToLongFunction<Worker> what) {
            return workers.stream().mapToLong(what).sum();
        }
    }

    /** A virtual thread writing and reading back its own region of its own file. */
    static final class Worker implements Runnable {
        final int id;
        final Path file;
        final long regionAt;
        final int regionSize;
        final Queue<String> unexpected;
        final CountDownLatch started;
        volatile boolean stop;
        Thread thread;

        /** What the region holds for sure: the last write that returned. */
        byte[] current;
        int version;
        long calls;
        long closedByInterrupt;
        long asyncClose;
        long reopens;

        private RingFileChannel ch;
        private final ByteBuffer heapOut;
        private final ByteBuffer heapIn;
        private final ByteBuffer directOut;
        private final ByteBuffer directIn;

        Worker(int id, Path file, Queue<String> unexpected, CountDownLatch started) {
            this.id = id;
            this.file = file;
            this.unexpected = unexpected;
            this.started = started;
            SplittableRandom random = new SplittableRandom(id);
            this.regionAt = random.nextInt(0, 8192);
            this.regionSize = id % LARGE_EVERY == LARGE_EVERY - 1 ? 3 << 19 : random.nextInt(1, 48 * 1024);
            this.heapOut = ByteBuffer.allocate(regionSize);
            this.heapIn = ByteBuffer.allocate(regionSize);
            boolean large = regionSize > 1 << 20;
            this.directOut = large ? null : ByteBuffer.allocateDirect(regionSize);
            this.directIn = large ? null : ByteBuffer.allocateDirect(regionSize);
        }

        @Override
        public void run() {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment segmentOut = arena.allocate(regionSize);
                MemorySegment segmentIn = arena.allocate(regionSize);
                reopen();
                started.countDown();
                while (!stop) {
                    version++;
                    byte[] data = Bytes.pattern(seed(id, version), regionSize);
                    Memory memory = Memory.values()[(id + version) % Memory.values().length];
                    boolean relative = (version & 1) == 0;
                    while (!attempt(() -> write(data, memory, relative, segmentOut))) {
                        // interrupted: the channel is open again; write the region again
                    }
                    current = data;
                    Memory readMemory = Memory.values()[(id + version + 1) % Memory.values().length];
                    while (!attempt(() -> readAndCheck(readMemory, !relative, segmentIn))) {
                        // interrupted: read again
                    }
                }
            } catch (Throwable t) {
                unexpected.add("worker " + id + " ended: " + stackTrace(t));
            } finally {
                Thread.interrupted();
                try {
                    if (ch != null) {
                        ch.close();
                    }
                } catch (Throwable t) {
                    unexpected.add("worker " + id + " close: " + stackTrace(t));
                }
                started.countDown(); // in case it failed before counting down
            }
        }

        interface Step {
            void run() throws IOException;
        }

        /** Runs a step; {@code false} when an interrupt closed the channel (it is open again then). */
        private boolean attempt(Step step) {
            calls++;
            try {
                step.run();
                return true;
            } catch (ClosedByInterruptException e) {
                closedByInterrupt++;
            } catch (AsynchronousCloseException e) {
                asyncClose++;
            } catch (Throwable t) {
                unexpected.add("worker " + id + " call: " + stackTrace(t));
                if (t instanceof Error && !(t instanceof AssertionError)) {
                    throw (Error) t;
                }
            }
            reopen();
            return false;
        }

        /** Clears the interrupt status and opens the file again, until an open succeeds. */
        private void reopen() {
            for (int tries = 0; ; tries++) {
                Thread.interrupted();
                try {
                    if (ch != null) {
                        ch.close();
                    }
                    ch = RingFileChannel.open(file, READ, WRITE);
                    reopens++;
                    return;
                } catch (Throwable t) {
                    unexpected.add("worker " + id + " open: " + stackTrace(t));
                    ch = null;
                    if (tries > 100) {
                        throw new AssertionError("worker " + id + " cannot open " + file, t);
                    }
                }
            }
        }

        private void write(byte[] data, Memory memory, boolean relative, MemorySegment segmentOut) throws IOException {
            if (memory == Memory.SEGMENT) {
                MemorySegment.copy(data, 0, segmentOut, ValueLayout.JAVA_BYTE, 0, data.length);
                long done = 0;
                while (done < data.length) {
                    done += ch.write(segmentOut.asSlice(done), regionAt + done);
                }
                return;
            }
            ByteBuffer out = memory == Memory.DIRECT && directOut != null ? directOut : heapOut;
            out.clear().put(data).flip();
            if (relative) {
                ch.position(regionAt);
                while (out.hasRemaining()) {
                    ch.write(out);
                }
            } else {
                while (out.hasRemaining()) {
                    ch.write(out, regionAt + out.position());
                }
            }
        }

        private void readAndCheck(Memory memory, boolean relative, MemorySegment segmentIn) throws IOException {
            byte[] read = new byte[regionSize];
            if (memory == Memory.SEGMENT) {
                segmentIn.fill((byte) 0);
                long done = 0;
                while (done < regionSize) {
                    int n = ch.read(segmentIn.asSlice(done), regionAt + done);
                    if (n < 0) {
                        throw new AssertionError("end of file at " + (regionAt + done));
                    }
                    done += n;
                }
                MemorySegment.copy(segmentIn, ValueLayout.JAVA_BYTE, 0, read, 0, regionSize);
            } else {
                ByteBuffer in = memory == Memory.DIRECT && directIn != null ? directIn : heapIn;
                in.clear();
                if (relative) {
                    ch.position(regionAt);
                }
                while (in.hasRemaining()) {
                    int n = relative ? ch.read(in) : ch.read(in, regionAt + in.position());
                    if (n < 0) {
                        throw new AssertionError("end of file at " + (regionAt + in.position()));
                    }
                }
                in.flip().get(read);
            }
            if (!Arrays.equals(current, read)) {
                throw new AssertionError("worker " + id + " version " + version + " read back "
                        + Bytes.describe(read) + ", wrote " + Bytes.describe(current));
            }
        }
    }

    static long seed(int worker, int version) {
        return (long) worker << 32 | version;
    }

    static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        String text = out.toString();
        return text.length() > 3000 ? text.substring(0, 3000) + "..." : text;
    }

    /** Runs {@code workers} workers under {@code interrupts} interrupts and waits until all have ended. */
    static Outcome storm(Path dir, int workers, int interrupts, long maxPauseNanos) throws Exception {
        Queue<String> unexpected = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(workers);
        List<Worker> all = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            Path file = dir.resolve("w" + i);
            Files.write(file, new byte[0]);
            all.add(new Worker(i, file, unexpected, started));
        }
        long start = System.nanoTime();
        for (Worker worker : all) {
            worker.thread = Thread.ofVirtual().name("storm-worker-" + worker.id).start(worker);
        }
        assertTrue(started.await(20, TimeUnit.SECONDS), "workers did not start");
        AtomicLong delivered = new AtomicLong();
        Thread storm = Thread.ofPlatform().name("interrupt-storm").start(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < interrupts; i++) {
                all.get(random.nextInt(all.size())).thread.interrupt();
                delivered.incrementAndGet();
                long pause = random.nextLong(maxPauseNanos + 1);
                if (pause > 20_000) {
                    LockSupport.parkNanos(pause);
                } else {
                    Thread.onSpinWait();
                }
            }
        });
        storm.join();
        all.forEach(w -> w.stop = true);
        for (Worker worker : all) {
            if (!worker.thread.join(java.time.Duration.ofSeconds(20))) {
                throw new AssertionError("worker " + worker.id + " did not end: " + worker.thread.getState() + " "
                        + Arrays.toString(worker.thread.getStackTrace()));
            }
        }
        return new Outcome(all, unexpected, delivered.get(), (System.nanoTime() - start) / 1_000_000);
    }

    /** Every file holds what its worker last wrote, and nothing else: compares through the JDK. */
    static List<String> corruptFiles(List<Worker> workers) throws IOException {
        List<String> corrupt = new ArrayList<>();
        for (Worker w : workers) {
            byte[] bytes = Files.readAllBytes(w.file);
            if (w.current == null) {
                corrupt.add("worker " + w.id + " never completed a write");
                continue;
            }
            byte[] expected = new byte[Math.toIntExact(w.regionAt + w.regionSize)];
            System.arraycopy(w.current, 0, expected, (int) w.regionAt, w.regionSize);
            if (!Arrays.equals(expected, bytes)) {
                corrupt.add("worker " + w.id + " version " + w.version + ": file " + Bytes.describe(bytes)
                        + ", expected " + Bytes.describe(expected));
            }
        }
        return corrupt;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void tenThousandInterruptsLoseAndCorruptNothingAndLeakNothing() throws Exception {
        // Warm-up: starts the poller (its ring and eventfd), fills the pool to its working level and
        // lets the JDK open what it opens lazily, so that what follows compares like with like.
        // Its exceptions are not checked here: the storm below makes the same calls, many more times.
        storm(Files.createDirectory(tmp.resolve("warm-up")), 50, 500, 300_000);

        Map<Integer, String> fdsBefore = OpenDescriptors.stable();
        long retiredBefore = NativePoolAccounting.retiredBytes();
        long lentBefore = NativePoolAccounting.lentBytes();
        long allocatedBefore = NativePoolAccounting.allocatedBytes();

        Outcome outcome = storm(Files.createDirectory(tmp.resolve("storm")), WORKERS, INTERRUPTS, 400_000);

        Map<Integer, String> fdsAfter = OpenDescriptors.settle(fdsBefore, 2_000);
        long retiredAfter = NativePoolAccounting.retiredBytes();
        long lentAfter = NativePoolAccounting.lentBytes();
        long allocatedAfter = NativePoolAccounting.allocatedBytes();
        List<String> corrupt = corruptFiles(outcome.workers());
        List<String> unexpected = List.copyOf(outcome.unexpected());

        System.out.printf("InterruptStormTest: %d workers, %d interrupts in %d ms: %d calls, %d ClosedByInterruptException,"
                        + " %d AsynchronousCloseException, %d opens, %d versions written; %d unexpected exceptions;"
                        + " pool allocated %d -> %d bytes (bound %d), lent %d -> %d, retired %d -> %d; fds %d -> %d%n",
                WORKERS, outcome.interruptsDelivered(), outcome.elapsedMillis(), outcome.count(w -> w.calls),
                outcome.count(w -> w.closedByInterrupt), outcome.count(w -> w.asyncClose), outcome.count(w -> w.reopens),
                outcome.count(w -> w.version), unexpected.size(), allocatedBefore, allocatedAfter,
                NativePoolAccounting.poolBoundBytes(), lentBefore, lentAfter, retiredBefore, retiredAfter,
                fdsBefore.size(), fdsAfter.size());

        assertAll("after " + INTERRUPTS + " interrupts",
                () -> assertEquals(List.of(), unexpected.subList(0, Math.min(5, unexpected.size())),
                        unexpected.size() + " exceptions other than ClosedByInterruptException and"
                                + " AsynchronousCloseException (first five shown)"),
                () -> assertEquals(List.of(), corrupt.subList(0, Math.min(5, corrupt.size())),
                        corrupt.size() + " files differ from what their worker last wrote (first five shown)"),
                () -> assertTrue(outcome.count(w -> w.closedByInterrupt) > INTERRUPTS / 10,
                        "the interrupts must hit calls (else this tests nothing)"),
                () -> assertEquals(retiredBefore, retiredAfter, "bytes of retired buffers (the poller never failed)"),
                () -> assertEquals(lentBefore, lentAfter, "native bytes lent out and not given back to the pool"),
                () -> assertTrue(allocatedAfter <= allocatedBefore + NativePoolAccounting.poolBoundBytes(),
                        "allocated " + allocatedAfter + " beyond what the pool may keep"),
                () -> assertEquals(fdsBefore.size(), fdsAfter.size(),
                        "open descriptors: " + OpenDescriptors.difference(fdsBefore, fdsAfter)));
    }

    /**
     * The JDK's {@code FileChannel.open} does not look at the interrupt status: it opens the file and
     * leaves the status set, and the next blocking call throws ClosedByInterruptException. A worker
     * interrupted while it reopens its file depends on that.
     */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anOpenByAnInterruptedThreadOpensAsTheJdksDoes() throws Exception {
        byte[] data = Bytes.pattern(5, 100);
        for (int i = 0; i < 20; i++) {
            SideBySide.compare(tmp.resolve("round" + i), dir -> Files.write(dir.resolve("data"), data), side -> {
                Thread.currentThread().interrupt();
                FileChannel existing;
                FileChannel created;
                try {
                    existing = side.open("data", READ);
                    created = side.open("new", Set.of(CREATE, WRITE, StandardOpenOption.DELETE_ON_CLOSE));
                } finally {
                    side.log("interrupt status kept", Thread.interrupted());
                }
                side.log("isOpen", existing.isOpen() && created.isOpen());
                ByteBuffer buffer = ByteBuffer.allocate(100);
                side.log("read", existing.read(buffer, 0));
                side.logBuffer("bytes", buffer);
            });
        }
    }
}
