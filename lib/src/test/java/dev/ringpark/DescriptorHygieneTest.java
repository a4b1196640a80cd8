package dev.ringpark;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.DELETE_ON_CLOSE;
import static java.nio.file.StandardOpenOption.DSYNC;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.SPARSE;
import static java.nio.file.StandardOpenOption.SYNC;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Descriptor hygiene: 10,000 open/close cycles of RingFileChannel from 8 virtual threads at once,
 * with every kind of open (create, read, append, truncate, sync, DELETE_ON_CLOSE), opens that fail
 * (a missing file, CREATE_NEW on an existing one, a directory for writing), and channels closed by an
 * interrupt (set before the call, or delivered while it is parked on a FIFO). The process's open
 * descriptors ({@code /proc/self/fd}) are the same before and after.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DescriptorHygieneTest {

    static final int CYCLES = 10_000;
    static final int THREADS = 8;

    @TempDir
    Path tmp;

    /** One kind of cycle; {@link #run} opens, uses and closes, and throws nothing when all went as expected. */
    enum Cycle {
        CREATE_WRITE_CLOSE {
            @Override
            void run(Context c) throws Exception {
                try (RingFileChannel ch = RingFileChannel.open(c.own("created"), CREATE, WRITE)) {
                    ch.write(ByteBuffer.wrap(c.data));
                }
            }
        },
        READ_CLOSE {
            @Override
            void run(Context c) throws Exception {
                try (RingFileChannel ch = RingFileChannel.open(c.shared, READ)) {
                    ch.read(ByteBuffer.allocateDirect(64), c.random.nextInt(100));
                }
            }
        },
        OPEN_CLOSE_UNUSED {
            @Override
            void run(Context c) throws Exception {
                RingFileChannel.open(c.shared, READ, WRITE).close();
            }
        },
        APPEND_TRUNCATE_SYNC {
            @Override
            void run(Context c) throws Exception {
                Set<java.nio.file.OpenOption> options = switch (c.random.nextInt(3)) {
                    case 0 -> Set.of(APPEND, CREATE);
                    case 1 -> Set.of(WRITE, CREATE, TRUNCATE_EXISTING, SPARSE);
                    default -> Set.of(WRITE, CREATE, c.random.nextBoolean() ? SYNC : DSYNC);
                };
                try (RingFileChannel ch = RingFileChannel.open(c.own("appended"), options)) {
                    ch.write(ByteBuffer.wrap(c.data, 0, 10));
                    ch.force(false);
                }
            }
        },
        MISSING_FILE {
            @Override
            void run(Context c) throws Exception {
                expect(NoSuchFileException.class, () -> RingFileChannel.open(c.own("missing"), READ));
            }
        },
        CREATE_NEW_ON_EXISTING {
            @Override
            void run(Context c) throws Exception {
                expect(FileAlreadyExistsException.class, () -> RingFileChannel.open(c.shared, CREATE_NEW, WRITE));
            }
        },
        DIRECTORY_FOR_WRITING {
            @Override
            void run(Context c) throws Exception {
                expect(FileSystemException.class, () -> RingFileChannel.open(c.dir, WRITE));
            }
        },
        DELETE_ON_CLOSE_CYCLE {
            @Override
            void run(Context c) throws Exception {
                Path file = c.own("temporary" + c.random.nextInt(4));
                try (RingFileChannel ch = RingFileChannel.open(file, CREATE, WRITE, READ, DELETE_ON_CLOSE)) {
                    ch.write(ByteBuffer.wrap(c.data), 0);
                    ch.read(ByteBuffer.allocate(10), 0);
                }
                if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    throw new AssertionError(file + " outlived its DELETE_ON_CLOSE channel");
                }
            }
        },
        CLOSED_BY_INTERRUPT_BEFORE_THE_CALL {
            @Override
            void run(Context c) throws Exception {
                RingFileChannel ch = RingFileChannel.open(c.shared, READ, WRITE);
                Thread.currentThread().interrupt();
                try {
                    expect(ClosedByInterruptException.class, () -> c.random.nextBoolean()
                            ? ch.read(ByteBuffer.allocate(10), 0) : ch.write(ByteBuffer.allocate(0), 0));
                } finally {
                    Thread.interrupted();
                }
                if (ch.isOpen()) {
                    throw new AssertionError("a channel closed by interrupt is open");
                }
            }
        },
        OPENED_BY_AN_INTERRUPTED_THREAD {
            /**
             * The JDK opens and leaves the status set; RingFileChannel may (a bug reported elsewhere)
             * throw instead. Either way no descriptor may be left behind: that is what counts here.
             */
            @Override
            void run(Context c) throws Exception {
                Thread.currentThread().interrupt();
                RingFileChannel ch = null;
                try {
                    ch = RingFileChannel.open(c.shared, READ);
                } catch (FileSystemException cancelled) {
                    c.openedByInterruptedThreadFailed.incrementAndGet();
                } finally {
                    Thread.interrupted();
                }
                if (ch != null) {
                    ch.close();
                }
            }
        },
        CLOSED_BY_AN_INTERRUPT_WHILE_PARKED {
            @Override
            void run(Context c) throws Exception {
                RingFileChannel ch = RingFileChannel.open(c.fifo, READ);
                Throwable[] outcome = new Throwable[1];
                Thread reader = Thread.ofVirtual().start(() -> {
                    try {
                        ch.read(ByteBuffer.allocate(10));
                    } catch (Throwable t) {
                        outcome[0] = t;
                    }
                });
                VirtualThreads.awaitParked(reader, 5_000);
                reader.interrupt();
                reader.join();
                if (!(outcome[0] instanceof ClosedByInterruptException) || ch.isOpen()) {
                    throw new AssertionError("an interrupted parked read: " + outcome[0] + ", open " + ch.isOpen(),
                            outcome[0]);
                }
            }
        };

        abstract void run(Context c) throws Exception;
    }

    interface Step {
        Object run() throws Exception;
    }

    static void expect(Class<? extends Throwable> expected, Step step) throws Exception {
        Object result;
        try {
            result = step.run();
        } catch (Exception e) {
            if (e.getClass() == expected) {
                return;
            }
            throw e;
        }
        throw new AssertionError("expected " + expected.getSimpleName() + ", got " + result);
    }

    /** What a cycle works with: the thread's own files, shared ones, a FIFO with both ends open. */
    record Context(int thread, Path dir, Path shared, Path fifo, SplittableRandom random, byte[] data,
                   AtomicLong openedByInterruptedThreadFailed) {
        Path own(String name) {
            return dir.resolve(name + "-" + thread);
        }
    }

    @Test
    void tenThousandOpenCloseCyclesLeaveTheDescriptorsAsTheyWere() throws Exception {
        Path shared = Files.write(tmp.resolve("shared"), Bytes.pattern(1, 200));
        Path fifo = Fifos.make(tmp.resolve("fifo"));
        try (RandomAccessFile bothEnds = new RandomAccessFile(fifo.toFile(), "rw")) {
            assertEquals(true, bothEnds.getFD().valid(), "the FIFO's writer, which keeps reads of it blocked");
            Map<Integer, String> before = warmUp(shared, fifo);

            Result result = runCycles(shared, fifo, CYCLES);

            Map<Integer, String> after = OpenDescriptors.settle(before, 2_000);
            List<String> leftovers;
            try (Stream<Path> files = Files.list(tmp)) {
                leftovers = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("temporary")).toList();
            }
            System.out.println("DescriptorHygieneTest: " + CYCLES + " cycles in " + result.millis + " ms " + result.done
                    + "; opens by an interrupted thread that threw: " + result.openedByInterruptedThreadFailed
                    + "; descriptors " + before.size() + " -> " + after.size());
            assertAll("after " + CYCLES + " open/close cycles",
                    () -> assertEquals(List.of(), result.problems.stream().limit(5).toList(),
                            result.problems.size() + " cycles went wrong (first five)"),
                    () -> assertEquals(List.of(), leftovers, "DELETE_ON_CLOSE files left behind"),
                    () -> assertEquals(before.size(), after.size(),
                            "open descriptors: " + OpenDescriptors.difference(before, after)));
        }
    }

    record Result(Queue<String> problems, Map<Cycle, Long> done, long openedByInterruptedThreadFailed, long millis) {}

    /**
     * Opens what stays open once used: the poller's ring and eventfd, whatever the JDK opens lazily,
     * and every worker of the pool drivers (an eventfd each, started only when the load first needs
     * that many), which a read of the FIFO per pool thread, all parked at once, starts.
     *
     * @return the descriptors open after the warm-up
     */
    private Map<Integer, String> warmUp(Path shared, Path fifo) throws Exception {
        runCycles(shared, fifo, 200);
        List<FileChannel> readers = new ArrayList<>();
        List<Thread> parked = new ArrayList<>();
        for (int i = 0; i < Ringpark.threads(); i++) {
            FileChannel reader = RingFileChannel.open(fifo, READ);
            readers.add(reader);
            parked.add(Thread.ofVirtual().start(() -> {
                try {
                    reader.read(ByteBuffer.allocate(1));
                } catch (IOException expected) {
                    // AsynchronousCloseException, once the warm-up closes it
                }
            }));
        }
        for (Thread thread : parked) {
            VirtualThreads.awaitParked(thread, 5_000);
        }
        for (FileChannel reader : readers) {
            reader.close();
        }
        for (Thread thread : parked) {
            thread.join();
        }
        return OpenDescriptors.stable();
    }

    Result runCycles(Path shared, Path fifo, int cycles) throws Exception {
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        Map<Cycle, Long> done = new ConcurrentHashMap<>();
        AtomicLong openedByInterruptedThreadFailed = new AtomicLong();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads.add(Thread.ofVirtual().start(() -> {
                Context c = new Context(thread, tmp, shared, fifo, new SplittableRandom(thread), Bytes.pattern(thread, 100),
                        openedByInterruptedThreadFailed);
                for (int i = thread; i < cycles; i += THREADS) {
                    Cycle cycle = i % 50 == 0 ? Cycle.CLOSED_BY_AN_INTERRUPT_WHILE_PARKED
                            : Cycle.values()[c.random.nextInt(Cycle.values().length - 1)];
                    try {
                        cycle.run(c);
                        done.merge(cycle, 1L, Long::sum);
                    } catch (Throwable e) {
                        problems.add(cycle + ": " + InterruptStormTest.stackTrace(e));
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new Result(problems, new TreeMap<>(done), openedByInterruptedThreadFailed.get(),
                (System.nanoTime() - start) / 1_000_000);
    }
}
