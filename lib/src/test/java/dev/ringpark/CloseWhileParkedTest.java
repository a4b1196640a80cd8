package dev.ringpark;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Closing a channel while thousands of calls are parked on it, closing it from many threads at once,
 * using it after such a close, and a close racing a steady stream of reads and writes.
 *
 * <p>The JDK's rule, which these tests hold RingFileChannel to: a call blocked in the channel when
 * another thread closes it (in the kernel, or waiting for the position lock) throws
 * {@link AsynchronousCloseException}; a call begun after the close throws
 * {@link ClosedChannelException}; a call that completed returns normally and its effect is whole.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CloseWhileParkedTest {

    /** How long parked calls may take to return once the channel is closed. */
    static final Duration PROMPTLY = Duration.ofSeconds(5);

    @TempDir
    Path tmp;

    /** A FIFO that also has a writer (and a reader) open for as long as the test runs: reads of it block. */
    record Fifo(Path path, RandomAccessFile bothEnds) implements AutoCloseable {
        static Fifo make(Path path) throws Exception {
            Fifos.make(path);
            return new Fifo(path, new RandomAccessFile(path.toFile(), "rw"));
        }

        @Override
        public void close() throws IOException {
            bothEnds.close();
        }
    }

    /** Starts {@code count} threads that each make one relative read of {@code ch}; returns their outcomes. */
    static List<Thread> startReaders(FileChannel ch, int count, Thread.Builder builder,
                                     AtomicReferenceArray<Object> outcomes) {
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            readers.add(builder.start(() -> {
                try {
                    outcomes.set(index, ch.read(ByteBuffer.allocate(16)));
                } catch (Throwable t) {
                    outcomes.set(index, t);
                }
            }));
        }
        return readers;
    }

    static void awaitAllParked(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (Thread thread : threads) {
            while (!VirtualThreads.isParked(thread)) {
                if (!thread.isAlive()) {
                    throw new AssertionError(thread + " ended instead of blocking");
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(thread + " did not park; state " + thread.getState());
                }
                Thread.sleep(1);
            }
        }
    }

    /** Waits for every thread to end, at most {@link #PROMPTLY} in all; the threads still alive. */
    static List<Thread> joinPromptly(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + PROMPTLY.toNanos();
        List<Thread> alive = new ArrayList<>();
        for (Thread thread : threads) {
            long left = deadline - System.nanoTime();
            if (!thread.join(Duration.ofNanos(Math.max(left, 1)))) {
                alive.add(thread);
            }
        }
        return alive;
    }

    /** How many outcomes of each kind: exception class names, or "returned". */
    static Map<String, Long> histogram(AtomicReferenceArray<Object> outcomes) {
        return IntStream.range(0, outcomes.length()).mapToObj(outcomes::get)
                .map(o -> o instanceof Throwable t ? t.getClass().getSimpleName() : "returned " + o)
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    }

    // ---------------------------------------------------------------------------------------------
    // (a) thousands parked

    enum Impl { JDK, RING }

    /**
     * The oracle, at a size the JDK can do: 20 platform threads (the JDK signals those; it cannot wake
     * virtual threads blocked in file I/O on JDK 25) in relative reads of one FIFO channel. One is in
     * the kernel, 19 wait for the position lock; on close, all 20 get AsynchronousCloseException, and
     * RingFileChannel must give the same.
     */
    @ParameterizedTest(name = "{0}: 20 platform threads parked in reads of a FIFO get AsynchronousCloseException")
    @EnumSource(Impl.class)
    void closingReleasesEveryReaderWithAsynchronousCloseExceptionLikeTheJdk(Impl impl) throws Exception {
        try (Fifo fifo = Fifo.make(tmp.resolve("fifo"))) {
            FileChannel ch = impl == Impl.JDK ? FileChannel.open(fifo.path(), READ) : RingFileChannel.open(fifo.path(), READ);
            AtomicReferenceArray<Object> outcomes = new AtomicReferenceArray<>(20);
            List<Thread> readers = startReaders(ch, 20, Thread.ofPlatform().daemon(), outcomes);
            if (impl == Impl.RING) {
                awaitAllParked(readers);
            } else {
                // The JDK's readers do not park: one is in read(2) (RUNNABLE to Java), the rest BLOCKED on the lock.
                KernelWaits.assumeVisible();
                KernelWaits.await(() -> KernelWaits.countIn(KernelWaits.Call.READ, fifo.path()) == 1
                                && readers.stream().filter(t -> t.getState() == Thread.State.BLOCKED).count() == 19,
                        Duration.ofSeconds(20), () -> "the JDK's readers: " + KernelWaits.countIn(KernelWaits.Call.READ,
                                fifo.path()) + " in read(2), states " + readers.stream().map(Thread::getState).toList());
            }
            assertEquals(List.of(), readers.stream().filter(t -> !t.isAlive()).toList(), "readers that did not block");
            ch.close();
            List<Thread> alive = joinPromptly(readers);
            assertEquals(List.of(), alive, "readers still blocked after close");
            assertEquals(Map.of("AsynchronousCloseException", 20L), histogram(outcomes), impl + ": what the readers got");
        }
    }

    /**
     * Two rounds, the descriptors counted around the second: the first starts what stays (the poller's
     * descriptors, and on the pool drivers the stream threads, each with its cancel eventfd, which end
     * only after a minute idle). Counted around the first, the verdict depended on whether an earlier
     * test had started them.
     */
    @Test
    void closingAChannelWithTwoThousandParkedReadersReleasesEveryOnePromptly() throws Exception {
        closeWithParkedReaders("fifo-warm-up", false);
        closeWithParkedReaders("fifo", true);
    }

    private void closeWithParkedReaders(String name, boolean countDescriptors) throws Exception {
        int readers = 2_000;
        try (Fifo fifo = Fifo.make(tmp.resolve(name))) {
            Map<Integer, String> fdsBefore = OpenDescriptors.stable();
            RingFileChannel ch = RingFileChannel.open(fifo.path(), READ);
            AtomicReferenceArray<Object> outcomes = new AtomicReferenceArray<>(readers);
            List<Thread> threads = startReaders(ch, readers, Thread.ofVirtual(), outcomes);
            awaitAllParked(threads);

            long start = System.nanoTime();
            ch.close();
            long closeMillis = (System.nanoTime() - start) / 1_000_000;
            List<Thread> alive = joinPromptly(threads);
            long allMillis = (System.nanoTime() - start) / 1_000_000;
            Map<Integer, String> fdsAfter = OpenDescriptors.settle(fdsBefore, 2_000);
            Map<String, Long> got = histogram(outcomes);
            System.out.println("CloseWhileParkedTest: close of " + readers + " parked readers returned in " + closeMillis
                    + " ms, all ended in " + allMillis + " ms: " + got);

            assertAll("closing with " + readers + " readers parked",
                    () -> assertEquals(List.of(), alive.stream().limit(3).map(t -> t + " " + t.getState()).toList(),
                            alive.size() + " readers still blocked " + PROMPTLY + " after close"),
                    () -> assertFalse(ch.isOpen()),
                    () -> assertEquals(Map.of("AsynchronousCloseException", (long) readers), got, "what the readers got"),
                    () -> assertTrue(!countDescriptors || fdsBefore.size() == fdsAfter.size(),
                            () -> "open descriptors: " + OpenDescriptors.difference(fdsBefore, fdsAfter)));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // (b) closing from many threads at once

    /**
     * 100 threads (half virtual, half platform) close one channel at once while 50 readers are parked
     * on it and another thread keeps opening, reading and closing files of its own: every close
     * returns without an exception, the readers are released, and the descriptor is closed once (a
     * second close(2) would fail, or close one of the other thread's descriptors under it).
     */
    @Test
    void closingFromOneHundredThreadsAtOnceClosesOnce() throws Exception {
        Path sentinel = Files.write(tmp.resolve("sentinel"), Bytes.pattern(1, 10));
        try (Fifo fifo = Fifo.make(tmp.resolve("fifo"))) {
            for (int round = 0; round < 5; round++) {
                Map<Integer, String> fdsBefore = OpenDescriptors.stable();
                RingFileChannel ch = RingFileChannel.open(fifo.path(), READ);
                AtomicReferenceArray<Object> readerOutcomes = new AtomicReferenceArray<>(50);
                List<Thread> readers = startReaders(ch, 50, Thread.ofVirtual(), readerOutcomes);
                awaitAllParked(readers);

                Queue<String> problems = new ConcurrentLinkedQueue<>();
                AtomicBoolean closing = new AtomicBoolean(true);
                Thread opener = Thread.ofVirtual().start(() -> {
                    while (closing.get()) {
                        try (FileChannel other = FileChannel.open(sentinel, READ)) {
                            if (other.read(ByteBuffer.allocate(10), 0) != 10) {
                                problems.add("a sentinel read came short");
                            }
                        } catch (Throwable t) {
                            problems.add("sentinel: " + t);
                        }
                    }
                });
                CountDownLatch go = new CountDownLatch(1);
                List<Thread> closers = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    Thread.Builder builder = i % 2 == 0 ? Thread.ofVirtual() : Thread.ofPlatform().daemon();
                    closers.add(builder.start(() -> {
                        try {
                            go.await();
                            ch.close();
                        } catch (Throwable t) {
                            problems.add("close: " + t);
                        }
                    }));
                }
                go.countDown();
                List<Thread> closersAlive = joinPromptly(closers);
                List<Thread> readersAlive = joinPromptly(readers);
                closing.set(false);
                opener.join();
                Map<Integer, String> fdsAfter = OpenDescriptors.settle(fdsBefore, 2_000);
                int r = round;
                assertAll("round " + round,
                        () -> assertEquals(List.of(), closersAlive, "closers that did not return"),
                        () -> assertEquals(List.of(), readersAlive, "readers still blocked"),
                        () -> assertEquals(List.of(), List.copyOf(problems), "exceptions"),
                        () -> assertFalse(ch.isOpen()),
                        // Which ClosedChannelException each reader gets is the test above's business.
                        () -> assertEquals(List.of(), IntStream.range(0, readerOutcomes.length())
                                        .mapToObj(readerOutcomes::get)
                                        .filter(o -> !(o instanceof ClosedChannelException)).toList(),
                                "round " + r + ": readers that got something else than a ClosedChannelException"),
                        () -> assertEquals(fdsBefore.size(), fdsAfter.size(),
                                "open descriptors: " + OpenDescriptors.difference(fdsBefore, fdsAfter)));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // (c) after close, however it came about (closed by close() is BadInputTest's)

    enum HowClosed { WHILE_READS_WERE_PARKED, BY_AN_INTERRUPT, BY_ANOTHER_THREAD_WHILE_IDLE }

    /**
     * Every method, with valid arguments (BadInputTest's list, and {@link RingFileChannel#advise}),
     * on a channel closed while calls were parked on it, or by an interrupt, throws
     * ClosedChannelException; so do they after {@code close} from another thread.
     */
    @ParameterizedTest(name = "every method of a channel closed {0} throws ClosedChannelException")
    @EnumSource(HowClosed.class)
    void everyMethodAfterCloseThrowsClosedChannelException(HowClosed how) throws Exception {
        Files.write(tmp.resolve("data"), Bytes.pattern(2, 1000));
        Files.write(tmp.resolve("peer"), Bytes.pattern(3, 100));
        List<String> wrong = new ArrayList<>();
        try (Fifo fifo = Fifo.make(tmp.resolve("fifo"))) {
            List<Named<BadInputTest.Call>> calls = new ArrayList<>(BadInputTest.everyMethod().toList());
            calls.add(Named.of("advise", (s, ch) -> {
                ((RingFileChannel) ch).advise(0, 10, RingFileChannel.Advice.RANDOM);
                return null;
            }));
            for (Named<BadInputTest.Call> call : calls) {
                RingFileChannel ch = closedChannel(how, fifo.path());
                Object outcome = VirtualThreads.call(() -> {
                    try (SideBySide.Side side = new SideBySide.Side(SideBySide.Impl.RING, tmp)) {
                        return call.getPayload().invoke(side, ch);
                    } catch (Throwable t) {
                        return t;
                    }
                });
                if (!(outcome instanceof Throwable t) || t.getClass() != ClosedChannelException.class) {
                    wrong.add(call.getName() + " -> " + outcome);
                }
            }
        }
        assertEquals(List.of(), wrong, "calls on a channel closed " + how + " that did not throw ClosedChannelException");
    }

    /** A channel closed as {@code how} says; the regular file "data" but for WHILE_READS_WERE_PARKED (a FIFO). */
    RingFileChannel closedChannel(HowClosed how, Path fifo) throws Exception {
        return switch (how) {
            case WHILE_READS_WERE_PARKED -> {
                RingFileChannel ch = RingFileChannel.open(fifo, READ);
                AtomicReferenceArray<Object> outcomes = new AtomicReferenceArray<>(3);
                List<Thread> readers = startReaders(ch, 3, Thread.ofVirtual(), outcomes);
                awaitAllParked(readers);
                ch.close();
                assertEquals(List.of(), joinPromptly(readers));
                yield ch;
            }
            case BY_AN_INTERRUPT -> VirtualThreads.call(() -> {
                RingFileChannel ch = RingFileChannel.open(tmp.resolve("data"), READ, WRITE);
                Thread.currentThread().interrupt();
                try {
                    ch.read(ByteBuffer.allocate(10), 0);
                    throw new AssertionError("an interrupted read returned");
                } catch (ClosedByInterruptException expected) {
                    Thread.interrupted();
                }
                return ch;
            });
            case BY_ANOTHER_THREAD_WHILE_IDLE -> {
                RingFileChannel ch = RingFileChannel.open(tmp.resolve("data"), READ, WRITE);
                Thread.ofVirtual().start(() -> {
                    try {
                        ch.close();
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }).join();
                yield ch;
            }
        };
    }

    // ---------------------------------------------------------------------------------------------
    // (d) a close racing reads and writes

    static final int RACERS = 100;
    private static final Object RELATIVE_WRITES = new Object();

    /** What one racer did: the region's last completed write, and how its calls ended. */
    static final class Racer {
        final int id;
        final long at;
        final int size;
        final boolean heap;
        byte[] completed;
        int version;
        Throwable ended;
        String endedIn = "";
        final List<String> corruptReads = new ArrayList<>();

        Racer(int id, long at, int size, boolean heap, byte[] initial) {
            this.id = id;
            this.at = at;
            this.size = size;
            this.heap = heap;
            this.completed = initial;
        }
    }

    /**
     * 100 threads each write versions of a region of their own (4 KiB to 256 KiB; every tenth 1.5 MiB
     * from the heap, which goes through a bounce buffer in two chunks) and read it back, positional and
     * relative, from heap and direct buffers, while the channel is closed under them. Every call
     * returns normally or throws AsynchronousCloseException / ClosedChannelException; a read that
     * returned saw the last completed write; and the file holds, in each region, exactly the last write
     * that returned: one that threw left nothing of itself, as with the JDK, whose write is one
     * {@code pwrite(2)} that a close does not cut short. Eight rounds, each closing at a random moment;
     * the JDK's FileChannel passes the same test (two rounds: its close takes seconds here).
     */
    @ParameterizedTest(name = "{0}: a close racing reads and writes leaves only completed writes, whole")
    @EnumSource(Impl.class)
    void aCloseRacingReadsAndWritesLeavesOnlyCompletedWritesWhole(Impl impl) throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        List<String> failures = new ArrayList<>();
        Map<String, Long> endings = new TreeMap<>();
        for (int round = 0; round < (impl == Impl.JDK ? 2 : 8); round++) {
            Path file = tmp.resolve("race" + round);
            List<Racer> racers = new ArrayList<>();
            long at = 0;
            try (FileChannel init = FileChannel.open(file, Set.of(READ, WRITE, CREATE))) {
                for (int i = 0; i < RACERS; i++) {
                    boolean large = i % 10 == 9;
                    int size = large ? 3 << 19 : random.nextInt(4096, 256 * 1024);
                    byte[] initial = Bytes.pattern(-1 - i, size);
                    init.write(ByteBuffer.wrap(initial), at);
                    racers.add(new Racer(i, at, size, large || i % 2 == 0, initial));
                    at += size + random.nextInt(0, 100);
                }
            }
            FileChannel ch = impl == Impl.JDK ? FileChannel.open(file, READ, WRITE) : RingFileChannel.open(file, READ, WRITE);
            CountDownLatch running = new CountDownLatch(RACERS);
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> threads = new ArrayList<>();
            for (Racer racer : racers) {
                // Platform threads for the JDK, which does not wake virtual threads on close in JDK 25.
                Thread.Builder builder = impl == Impl.JDK ? Thread.ofPlatform().daemon() : Thread.ofVirtual();
                threads.add(builder.start(() -> race(ch, racer, running, stop)));
            }
            running.await();
            Thread.sleep(random.nextInt(20, 120));
            Thread closer = Thread.ofVirtual().start(() -> {
                try {
                    ch.close();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            boolean closed = closer.join(PROMPTLY);
            List<Thread> alive = joinPromptly(threads);
            stop.set(true); // racers still going (a close that hung) stop now, so as not to starve what follows
            if (!closed) {
                failures.add("round " + round + ": close did not return");
                continue;
            }
            if (!alive.isEmpty()) {
                failures.add("round " + round + ": " + alive.size() + " racers did not end");
                continue;
            }
            byte[] contents = Files.readAllBytes(file);
            for (Racer racer : racers) {
                String ending = racer.ended == null ? "none" : racer.ended.getClass().getSimpleName() + " in " + racer.endedIn;
                endings.merge(ending, 1L, Long::sum);
                if (!(racer.ended instanceof AsynchronousCloseException || racer.ended instanceof ClosedChannelException)) {
                    failures.add("round " + round + " racer " + racer.id + " ended with " + racer.ended
                            + (racer.ended == null ? "" : "\n" + InterruptStormTest.stackTrace(racer.ended)));
                }
                failures.addAll(racer.corruptReads);
                byte[] region = Arrays.copyOfRange(contents, (int) racer.at, (int) racer.at + racer.size);
                if (!Arrays.equals(racer.completed, region)) {
                    failures.add("round " + round + " racer " + racer.id + " (" + racer.size + " bytes, "
                            + (racer.heap ? "heap" : "direct") + "): the region holds " + describeVersion(racer, region)
                            + ", not the last write that returned (version " + (racer.version - 1)
                            + "); the call that ended it: " + racer.endedIn + " threw " + racer.ended);
                }
            }
        }
        System.out.println("CloseWhileParkedTest: " + impl + ": how the racers ended: " + endings);
        assertEquals(List.of(), failures.subList(0, Math.min(failures.size(), 10)), failures.size() + " failures (first ten)");
    }

    static void race(FileChannel ch, Racer racer, CountDownLatch running, AtomicBoolean stop) {
        ByteBuffer out = racer.heap ? ByteBuffer.allocate(racer.size) : ByteBuffer.allocateDirect(racer.size);
        ByteBuffer in = racer.heap ? ByteBuffer.allocateDirect(racer.size) : ByteBuffer.allocate(racer.size);
        running.countDown();
        try {
            for (int v = 1; !stop.get(); v++) {
                racer.version = v;
                byte[] data = Bytes.pattern(seed(racer, v), racer.size);
                out.clear().put(data).flip();
                racer.endedIn = "write of version " + v;
                if (v % 3 == 0) {
                    synchronized (RELATIVE_WRITES) { // position and write together: the racers share the position
                        ch.position(racer.at);
                        while (out.hasRemaining()) {
                            ch.write(out);
                        }
                    }
                } else {
                    while (out.hasRemaining()) {
                        ch.write(out, racer.at + out.position());
                    }
                }
                racer.completed = data;
                racer.endedIn = "read after version " + v;
                in.clear();
                while (in.hasRemaining()) {
                    int n = ch.read(in, racer.at + in.position());
                    if (n < 0) {
                        racer.corruptReads.add("racer " + racer.id + ": end of file inside its region");
                        return;
                    }
                }
                byte[] read = new byte[racer.size];
                in.flip().get(read);
                if (!Arrays.equals(data, read)) {
                    racer.corruptReads.add("racer " + racer.id + " read " + Bytes.describe(read) + " after writing "
                            + Bytes.describe(data));
                }
            }
        } catch (Throwable t) {
            racer.ended = t;
        }
    }

    static long seed(Racer racer, int version) {
        return (long) racer.id << 32 | version;
    }

    /** Which version the region holds, if any whole one, or how much of the attempted one. */
    static String describeVersion(Racer racer, byte[] region) {
        for (int v = racer.version; v >= Math.max(1, racer.version - 3); v--) {
            byte[] data = Bytes.pattern(seed(racer, v), racer.size);
            if (Arrays.equals(data, region)) {
                return "version " + v + " whole";
            }
            int prefix = 0;
            while (prefix < region.length && region[prefix] == data[prefix]) {
                prefix++;
            }
            if (prefix > 0) {
                return "the first " + prefix + " bytes of version " + v + " (a torn write)";
            }
        }
        return Bytes.describe(region);
    }
}
