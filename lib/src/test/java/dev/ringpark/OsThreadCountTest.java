package dev.ringpark;

import static java.nio.file.StandardOpenOption.READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 virtual threads blocked in RingFileChannel reads of FIFOs must not cost 1,000 OS threads: while
 * they are all parked, the JVM's OS thread count stays at its baseline plus a small constant.
 *
 * <p>Contrast (not run, since it would hang this test): with the JDK's FileChannel, a read of a FIFO
 * on a virtual thread pins its carrier for the whole read(2) and, since JDK 23, nothing compensates for
 * buffered file I/O. So at most {@code availableProcessors()} readers (2 here) enter read(2); the
 * others wait RUNNABLE in the scheduler's queue, never PARKED, and every other virtual thread in the
 * process starves until data arrives. Waiting for "all 1,000 parked" below would never end.
 */
class OsThreadCountTest {

    static final int FIFOS = 100;
    static final int READERS_PER_FIFO = 10;
    static final int READERS = FIFOS * READERS_PER_FIFO;
    /** OS threads allowed on top of the baseline: carriers, the poller, a helper or two. */
    static final int ALLOWANCE = 8;

    @TempDir
    Path tmp;

    static int osThreads() throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return (int) tasks.count();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aThousandParkedReadsKeepTheOsThreadCountFlat() throws Exception {
        List<Path> fifos = Fifos.make(IntStream.range(0, FIFOS).mapToObj(i -> tmp.resolve("fifo" + i)).toList());
        List<FileOutputStream> writers = new ArrayList<>();
        List<RingFileChannel> readers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try {
            // Each FIFO: a JDK writer opened in a platform thread while the first reader opens (both
            // ends must be there); further readers then open at once.
            try (ExecutorService opener = Executors.newSingleThreadExecutor()) {
                for (Path fifo : fifos) {
                    Future<FileOutputStream> writer = opener.submit(() -> new FileOutputStream(fifo.toFile()));
                    for (int r = 0; r < READERS_PER_FIFO; r++) {
                        readers.add(RingFileChannel.open(fifo, READ));
                    }
                    writers.add(writer.get(10, TimeUnit.SECONDS));
                }
            }
            warmUpVirtualThreadScheduler();
            int baseline = osThreads();

            List<Future<Integer>> reads = new ArrayList<>();
            int[][] received = new int[FIFOS][READERS_PER_FIFO];
            for (int i = 0; i < READERS; i++) {
                int fifo = i / READERS_PER_FIFO;
                int slot = i % READERS_PER_FIFO;
                RingFileChannel ch = readers.get(i);
                FutureTask<Integer> read = new FutureTask<>(() -> {
                    ByteBuffer record = ByteBuffer.allocate(Integer.BYTES);
                    int n = ch.read(record);
                    received[fifo][slot] = record.flip().remaining() == Integer.BYTES ? record.getInt() : -1;
                    return n;
                });
                reads.add(read);
                threads.add(Thread.ofVirtual().name("reader-" + i).start(read));
            }

            for (Thread thread : threads) {
                VirtualThreads.awaitParked(thread, 30_000);
            }
            int peak = 0;
            for (int sample = 0; sample < 5; sample++) {
                peak = Math.max(peak, osThreads());
                Thread.sleep(50);
            }
            for (Thread thread : threads) {
                assertTrue(VirtualThreads.isParked(thread), thread + " stopped being parked without data");
            }
            System.out.println("OS threads: baseline " + baseline + ", peak with " + READERS + " parked reads " + peak);
            assertTrue(peak <= baseline + ALLOWANCE, "with " + READERS + " virtual threads parked in reads the JVM has "
                    + peak + " OS threads; baseline " + baseline + " + allowance " + ALLOWANCE);

            // Release: each FIFO gets one record per reader in one write (40 bytes, atomic in a pipe).
            for (int fifo = 0; fifo < FIFOS; fifo++) {
                ByteBuffer records = ByteBuffer.allocate(READERS_PER_FIFO * Integer.BYTES);
                for (int slot = 0; slot < READERS_PER_FIFO; slot++) {
                    records.putInt(fifo * READERS_PER_FIFO + slot);
                }
                writers.get(fifo).write(records.array());
            }
            for (Thread thread : threads) {
                assertTrue(thread.join(Duration.ofSeconds(20)), thread + " never got its data");
            }
            for (Future<Integer> read : reads) {
                assertEquals(Integer.BYTES, read.get(), "bytes one read returned");
            }
            for (int fifo = 0; fifo < FIFOS; fifo++) {
                Set<Integer> expected = new HashSet<>();
                Set<Integer> got = new HashSet<>();
                for (int slot = 0; slot < READERS_PER_FIFO; slot++) {
                    expected.add(fifo * READERS_PER_FIFO + slot);
                    got.add(received[fifo][slot]);
                }
                assertEquals(expected, got, "the records the readers of FIFO " + fifo + " received");
            }
        } finally {
            for (FileOutputStream writer : writers) {
                writer.close();
            }
            for (FileChannel reader : readers) {
                reader.close();
            }
        }
    }

    /**
     * 100 virtual threads parked in {@code transferFrom} FIFOs (splices, which io_uring runs on io-wq
     * workers): each waits for its pipe with a poll, which holds no worker. A splice that waited itself
     * held one worker per transfer (101 {@code iou-wrk} threads for 100). On the pool drivers the wait
     * holds a pool thread, as a read of a FIFO does, up to the pool's size.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aHundredParkedTransfersFromFifosKeepTheOsThreadCountFlat() throws Exception {
        List<Path> fifos = Fifos.make(IntStream.range(0, FIFOS).mapToObj(i -> tmp.resolve("pipe" + i)).toList());
        List<java.io.RandomAccessFile> bothEnds = new ArrayList<>();
        List<FileChannel> channels = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try {
            List<FutureTask<Long>> transfers = new ArrayList<>();
            List<RingFileChannel[]> pairs = new ArrayList<>();
            for (int i = 0; i < FIFOS; i++) {
                bothEnds.add(new java.io.RandomAccessFile(fifos.get(i).toFile(), "rw"));
                RingFileChannel in = RingFileChannel.open(fifos.get(i), READ);
                RingFileChannel out = RingFileChannel.open(tmp.resolve("out" + i), java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.WRITE);
                channels.add(in);
                channels.add(out);
                pairs.add(new RingFileChannel[] {in, out});
            }
            warmUpVirtualThreadScheduler();
            int baseline = osThreads();
            for (RingFileChannel[] pair : pairs) {
                FutureTask<Long> transfer = new FutureTask<>(() -> pair[1].transferFrom(pair[0], 0, Integer.BYTES));
                transfers.add(transfer);
                threads.add(Thread.ofVirtual().start(transfer));
            }
            for (Thread thread : threads) {
                VirtualThreads.awaitParked(thread, 30_000);
            }
            int peak = 0;
            for (int sample = 0; sample < 5; sample++) {
                peak = Math.max(peak, osThreads());
                Thread.sleep(50);
            }
            int allowance = ALLOWANCE + ("io_uring".equals(Ringpark.driver().driver()) ? 0 : Ringpark.threads());
            System.out.println("OS threads: baseline " + baseline + ", peak with " + FIFOS + " parked transfers " + peak);
            assertTrue(peak <= baseline + allowance, "with " + FIFOS + " virtual threads parked in transfers the JVM has "
                    + peak + " OS threads; baseline " + baseline + " + allowance " + allowance);
            for (java.io.RandomAccessFile fifo : bothEnds) {
                fifo.writeInt(7);
            }
            for (FutureTask<Long> transfer : transfers) {
                assertEquals(Integer.BYTES, transfer.get(20, TimeUnit.SECONDS));
            }
        } finally {
            for (java.io.RandomAccessFile fifo : bothEnds) {
                fifo.close();
            }
            for (FileChannel channel : channels) {
                channel.close();
            }
        }
    }

    /** Lets the scheduler start its carriers before the baseline is taken. */
    static void warmUpVirtualThreadScheduler() throws InterruptedException {
        List<Thread> warmUp = new ArrayList<>();
        for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors(); i++) {
            warmUp.add(Thread.ofVirtual().start(() -> {
                long end = System.nanoTime() + 20_000_000;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            }));
        }
        for (Thread thread : warmUp) {
            thread.join();
        }
    }
}
