package dev.ringpark;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.FileOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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

/**
 * Child JVM of {@link OsThreadCountTest}: {@code readersPerFifo} RingFileChannel readers on each of
 * the FIFOs {@code fifo0 .. fifo<n-1>} (made by the parent), one call each on a virtual thread of
 * its own, all parked at once; then every FIFO gets a record per reader. The call is a relative
 * {@code read} of the record, or a {@code transferFrom} of it into a file of the reader's own.
 *
 * <p>The OS threads are counted from {@code /proc/self/task}: the baseline once the count has stood
 * still for {@value #QUIET_MILLIS} ms after the channels opened (nothing the setup started is still
 * starting or ending), the peak by a sampler that looks every millisecond from the first read
 * started until every reader is parked and the count stands still again. Prints {@code key=value}
 * results on one line ({@code driver}, {@code poolThreads}, {@code baseline}, {@code peak},
 * {@code parked}, {@code wrongRecords}) and exits 0; anything unexpected escapes and exits non-zero.
 *
 * <p>Arguments: the directory holding the FIFOs, how many FIFOs, readers per FIFO, the call
 * ({@code read} or {@code transferFrom}).
 */
public final class ParkedCalls {
    /** How long the thread count must stand still to count as settled. */
    static final long QUIET_MILLIS = 200;
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(20);

    private ParkedCalls() {}

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        int fifos = Integer.parseInt(args[1]);
        int readersPerFifo = Integer.parseInt(args[2]);
        boolean transfer = switch (args[3]) {
            case "read" -> false;
            case "transferFrom" -> true;
            default -> throw new IllegalArgumentException("no such call: " + args[3]);
        };
        List<FileOutputStream> writers = new ArrayList<>();
        List<RingFileChannel> readers = new ArrayList<>();
        // Each FIFO: a JDK writer opened in a platform thread while the first reader opens (both ends
        // must be there); further readers then open at once.
        try (ExecutorService opener = Executors.newSingleThreadExecutor()) {
            for (int f = 0; f < fifos; f++) {
                Path fifo = directory.resolve("fifo" + f);
                Future<FileOutputStream> writer = opener.submit(() -> new FileOutputStream(fifo.toFile()));
                for (int r = 0; r < readersPerFifo; r++) {
                    readers.add(RingFileChannel.open(fifo, READ));
                }
                writers.add(writer.get(10, TimeUnit.SECONDS));
            }
        }
        // Each transfer's target opened before the count starts: an open may start threads of its own.
        List<FileChannel> copies = new ArrayList<>();
        for (int i = 0; transfer && i < readers.size(); i++) {
            copies.add(RingFileChannel.open(directory.resolve("copy" + i), CREATE, READ, WRITE));
        }
        OsThreadCountTest.warmUpVirtualThreadScheduler();
        Sampler sampler = new Sampler();
        Thread.ofPlatform().daemon().name("thread-sampler").start(sampler);
        int baseline = settledCount();

        sampler.peak = baseline;
        sampler.measuring = true;
        int[][] received = new int[fifos][readersPerFifo];
        List<Thread> threads = new ArrayList<>();
        List<Future<Integer>> reads = new ArrayList<>();
        for (int i = 0; i < readers.size(); i++) {
            int fifo = i / readersPerFifo;
            int slot = i % readersPerFifo;
            FileChannel channel = readers.get(i);
            FileChannel copy = transfer ? copies.get(i) : null;
            FutureTask<Integer> read = new FutureTask<>(() -> {
                ByteBuffer record = ByteBuffer.allocate(Integer.BYTES);
                int n;
                if (transfer) {
                    n = (int) copy.transferFrom(channel, 0, Integer.BYTES);
                    copy.read(record, 0);
                } else {
                    n = channel.read(record);
                }
                received[fifo][slot] = record.flip().remaining() == Integer.BYTES ? record.getInt() : -1;
                return n;
            });
            reads.add(read);
            threads.add(Thread.ofVirtual().name("reader-" + i).start(read));
        }
        for (Thread thread : threads) {
            VirtualThreads.awaitParked(thread, 30_000);
        }
        settledCount();
        sampler.measuring = false;
        long parked = threads.stream().filter(VirtualThreads::isParked).count();

        // Release: each FIFO gets one record per reader in one write (atomic in a pipe up to 4 KiB).
        for (int fifo = 0; fifo < fifos; fifo++) {
            ByteBuffer records = ByteBuffer.allocate(readersPerFifo * Integer.BYTES);
            for (int slot = 0; slot < readersPerFifo; slot++) {
                records.putInt(fifo * readersPerFifo + slot);
            }
            writers.get(fifo).write(records.array());
        }
        for (Thread thread : threads) {
            if (!thread.join(Duration.ofSeconds(20))) {
                throw new AssertionError(thread + " never got its data");
            }
        }
        for (Future<Integer> read : reads) {
            if (read.get() != Integer.BYTES) {
                throw new AssertionError("a " + args[3] + " returned " + read.get() + " bytes");
            }
        }
        int wrongRecords = 0;
        for (int fifo = 0; fifo < fifos; fifo++) {
            Set<Integer> expected = new HashSet<>();
            Set<Integer> got = new HashSet<>();
            for (int slot = 0; slot < readersPerFifo; slot++) {
                expected.add(fifo * readersPerFifo + slot);
                got.add(received[fifo][slot]);
            }
            wrongRecords += expected.equals(got) ? 0 : 1;
        }
        for (FileOutputStream writer : writers) {
            writer.close();
        }
        for (FileChannel channel : readers) {
            channel.close();
        }
        for (FileChannel channel : copies) {
            channel.close();
        }
        System.out.println("driver=" + Ringpark.driver().driver() + " poolThreads=" + Ringpark.threads()
                + " baseline=" + baseline + " peak=" + sampler.peak + " parked=" + parked + " wrongRecords="
                + wrongRecords);
    }

    /** The thread count once it has stood still for {@value #QUIET_MILLIS} ms. */
    static int settledCount() throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        int count = OsThreadCountTest.osThreads();
        long stillSince = System.nanoTime();
        while (System.nanoTime() - stillSince < QUIET_MILLIS * 1_000_000) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the OS thread count did not stand still for " + QUIET_MILLIS + " ms within "
                        + SETTLE_LIMIT + "; now " + count);
            }
            Thread.sleep(5);
            int now = OsThreadCountTest.osThreads();
            if (now != count) {
                count = now;
                stillSince = System.nanoTime();
            }
        }
        return count;
    }

    /** Looks at the thread count every millisecond while {@link #measuring}, keeping the highest. */
    static final class Sampler implements Runnable {
        volatile boolean measuring;
        volatile int peak;

        @Override
        public void run() {
            for (;;) {
                if (measuring) {
                    peak = Math.max(peak, OsThreadCountTest.osThreads());
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
