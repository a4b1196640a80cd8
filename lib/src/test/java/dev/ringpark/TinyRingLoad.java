package dev.ringpark;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Child JVM of {@link TinyRingLoadTest}, run with {@code -Dringpark.ring.entries=8}: {@code threads}
 * virtual threads each write their own 4 KiB block {@code rounds} times at its position and read it
 * back (heap and direct buffers, alternating), checking every byte; a heartbeat virtual thread ticks
 * every 5 ms throughout, and a platform thread samples the system calls the carriers are in. Then every block is checked once more through the JDK's channel. Prints
 * {@code key=value} results on one line and exits 0; anything unexpected is counted, not thrown.
 *
 * <p>Arguments: file, threads, rounds.
 */
public final class TinyRingLoad {
    static final int BLOCK = 4096;

    private TinyRingLoad() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        String driver = Ringpark.driver().toString();
        System.out.println("driver: " + driver);

        AtomicLong writes = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        AtomicLong mismatches = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        Heartbeat heartbeat = new Heartbeat();
        CarrierSampler sampler = new CarrierSampler(file);
        Thread sampling = Thread.ofPlatform().daemon().name("carrier-sampler").start(sampler);
        warmUpCarriers();
        int baselineThreads = osThreads();
        Thread beat = Thread.ofVirtual().name("heartbeat").start(heartbeat);

        long start = System.nanoTime();
        try (RingFileChannel channel = RingFileChannel.open(file, CREATE, READ, WRITE)) {
            List<Thread> workers = new ArrayList<>(threads);
            for (int t = 0; t < threads; t++) {
                int id = t;
                workers.add(Thread.ofVirtual().start(() -> {
                    try {
                        long position = (long) id * BLOCK;
                        // One buffer of each kind per thread, reused: allocating direct buffers per
                        // operation would run into the direct-memory limit and its System.gc() pauses.
                        ByteBuffer heap = ByteBuffer.allocate(BLOCK);
                        ByteBuffer direct = ByteBuffer.allocateDirect(BLOCK);
                        for (int round = 0; round < rounds; round++) {
                            boolean directOut = (id + round) % 2 == 0;
                            ByteBuffer expected = pattern(seed(id, round));
                            ByteBuffer out = (directOut ? direct : heap).clear();
                            out.put(expected.duplicate()).flip();
                            while (out.hasRemaining()) {
                                channel.write(out, position + out.position());
                            }
                            writes.incrementAndGet();
                            ByteBuffer in = (directOut ? heap : direct).clear();
                            while (in.hasRemaining()) {
                                if (channel.read(in, position + in.position()) < 0) {
                                    break;
                                }
                            }
                            reads.incrementAndGet();
                            if (!in.flip().equals(expected)) {
                                mismatches.incrementAndGet();
                            }
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            for (Thread worker : workers) {
                worker.join();
            }
        }
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        heartbeat.stop = true;
        beat.join();
        sampler.stop = true;
        sampling.join();

        long finalMismatches = 0;
        try (FileChannel jdk = FileChannel.open(file, READ)) {
            ByteBuffer block = ByteBuffer.allocate(BLOCK);
            for (int id = 0; id < threads; id++) {
                block.clear();
                while (block.hasRemaining() && jdk.read(block, (long) id * BLOCK + block.position()) > 0) {
                    // until full or at the end
                }
                if (!block.flip().equals(pattern(seed(id, rounds - 1)))) {
                    finalMismatches++;
                }
            }
        }
        for (Throwable error : errors.stream().limit(5).toList()) {
            error.printStackTrace();
        }
        System.out.println("writes=" + writes.get() + " reads=" + reads.get() + " mismatches=" + mismatches.get()
                + " finalMismatches=" + finalMismatches + " errors=" + errors.size() + " ticks=" + heartbeat.ticks
                + " maxGapMs=" + heartbeat.maxGapNanos / 1_000_000 + " osThreadsBaseline=" + baselineThreads
                + " osThreadsPeak=" + heartbeat.peakThreads + " elapsedMs=" + elapsedMillis + " carrierSamples="
                + sampler.samples + " carrierFileSyscalls=" + sampler.inFileSyscalls + " carrierOtherFileSyscalls="
                + sampler.otherFileSyscalls);
        if (!sampler.seen.isEmpty()) {
            System.out.println("carrier file syscalls seen: " + sampler.seen);
        }
        System.exit(0);
    }

    static long seed(int id, int round) {
        return id * 1_000_003L + round;
    }

    /** A block of bytes determined by {@code seed} (SplitMix64 per 8 bytes). */
    static ByteBuffer pattern(long seed) {
        ByteBuffer block = ByteBuffer.allocate(BLOCK);
        long state = seed * 0x9E3779B97F4A7C15L;
        while (block.hasRemaining()) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            block.putLong(z ^ (z >>> 31));
        }
        return block.flip();
    }

    /** Lets the scheduler start its carriers before the OS thread baseline is taken. */
    static void warmUpCarriers() throws InterruptedException {
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

    static int osThreads() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return (int) tasks.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * A platform thread that samples, every millisecond, which system call each carrier thread of the
     * virtual-thread scheduler is in ({@code /proc/self/task/<tid>/syscall}), counting samples in
     * file I/O calls that can block ({@code pread64}, {@code pwrite64}, {@code preadv}, {@code pwritev},
     * {@code preadv2}, {@code pwritev2}, {@code fsync}, {@code fdatasync}) on the file under test. With the JDK's FileChannel
     * on virtual threads they show up all the time; with Ringpark a carrier never makes them (the
     * page-cache fast path's {@code preadv2(RWF_NOWAIT)}, which cannot block, is off in this run).
     */
    static final class CarrierSampler implements Runnable {
        private static final java.util.Set<String> FILE_SYSCALLS = java.util.Set.of("17", "18", "295", "296", "327",
                "328", "74", "75");
        volatile boolean stop;
        volatile long samples;
        volatile long inFileSyscalls;
        volatile long otherFileSyscalls;
        final java.util.Map<String, Integer> seen = new java.util.concurrent.ConcurrentHashMap<>();
        private final String file;

        CarrierSampler(Path file) {
            this.file = file.toAbsolutePath().toString();
        }

        /** What descriptor {@code hexFd} (as /proc prints it) refers to, or "?" */
        private static String target(String hexFd) {
            try {
                long fd = Long.decode(hexFd);
                return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            } catch (IOException | RuntimeException e) {
                return "?";
            }
        }

        @Override
        public void run() {
            while (!stop) {
                try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                    for (Path task : tasks.toList()) {
                        try {
                            if (!Files.readString(task.resolve("comm")).startsWith("ForkJoinPool-1-")) {
                                continue;
                            }
                            String[] call = Files.readString(task.resolve("syscall")).trim().split(" ");
                            samples++;
                            if (FILE_SYSCALLS.contains(call[0])) {
                                // The first argument is the descriptor: is it the file under test? (A
                                // carrier may also be seen loading a class, which the JVM reads with
                                // pread64 from lib/modules: not what this test is about.)
                                String target = target(call[1]);
                                if (target.equals(file)) {
                                    inFileSyscalls++;
                                } else {
                                    otherFileSyscalls++;
                                }
                                seen.merge(call[0] + " on " + target, 1, Integer::sum);
                            }
                        } catch (IOException ended) {
                            // the thread ended meanwhile
                        }
                    }
                } catch (IOException e) {
                    return;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }
    }

    /** Ticks every 5 ms; the longest gap between ticks shows whether the carriers stayed free. */
    static final class Heartbeat implements Runnable {
        volatile boolean stop;
        volatile long maxGapNanos;
        volatile long ticks;
        volatile int peakThreads;

        @Override
        public void run() {
            long last = System.nanoTime();
            while (!stop) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                maxGapNanos = Math.max(maxGapNanos, now - last);
                last = now;
                if (ticks++ % 10 == 0) {
                    peakThreads = Math.max(peakThreads, osThreads());
                }
            }
        }
    }
}
