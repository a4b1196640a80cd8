package dev.ringpark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 virtual threads blocked in RingFileChannel reads of FIFOs must not cost 1,000 OS threads, nor
 * 100 blocked in transfers from FIFOs 100: while
 * they are all parked, the JVM's OS thread count stays at its baseline plus a small constant, plus, on
 * the drivers that wait for streams on pool threads ({@code aio}, {@code threads}, and without native
 * access), at most the pool's bound.
 *
 * <p>Counted in a child JVM of its own ({@link ParkedCalls}), on the driver this run uses: in the test
 * JVM, threads other tests left behind (pool workers started by their load, io_uring's {@code iou-wrk}
 * workers, FIFO open threads, the JDK's process reaper) decided the baseline, and the verdict depended
 * on what ran before. The child's GC and JIT threads are all started at once
 * ({@code -XX:-UseDynamicNumberOfGCThreads}, {@code -XX:-UseDynamicNumberOfCompilerThreads}), so that
 * the load cannot start more of them; its pool is bounded at {@value #POOL_THREADS} threads.
 *
 * <p>Contrast (not run, since it would hang this test): with the JDK's FileChannel, a read of a FIFO
 * on a virtual thread pins its carrier for the whole read(2) and, since JDK 23, nothing compensates for
 * buffered file I/O. So at most {@code availableProcessors()} readers (2 here) enter read(2); the
 * others wait RUNNABLE in the scheduler's queue, never PARKED, and every other virtual thread in the
 * process starves until data arrives. Waiting for "all 1,000 parked" would never end.
 */
class OsThreadCountTest {

    static final int FIFOS = 100;
    static final int READERS_PER_FIFO = 10;
    static final int READERS = FIFOS * READERS_PER_FIFO;
    /** OS threads allowed on top of the baseline: a carrier, a helper or two of the JDK's. */
    static final int ALLOWANCE = 8;
    /** The child's {@value Ringpark#THREADS_PROP_NAME}: what a pool driver may add for the parked reads. */
    static final int POOL_THREADS = 4;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aThousandParkedReadsKeepTheOsThreadCountFlat() throws Exception {
        assertFlatWhileParked("read", FIFOS, READERS_PER_FIFO);
    }

    /**
     * 100 virtual threads parked in {@code transferFrom} FIFOs (splices, which io_uring runs on io-wq
     * workers): each waits for its pipe with a poll, which holds no worker. A splice that waited itself
     * held one worker per transfer (101 {@code iou-wrk} threads for 100). On the pool drivers the wait
     * holds a pool thread, as a read of a FIFO does, up to the pool's size.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aHundredParkedTransfersFromFifosKeepTheOsThreadCountFlat() throws Exception {
        assertFlatWhileParked("transferFrom", FIFOS, 1);
    }

    /** Runs {@link ParkedCalls} with {@code call} on the driver this run uses and checks its count. */
    private void assertFlatWhileParked(String call, int fifos, int readersPerFifo) throws Exception {
        Fifos.make(IntStream.range(0, fifos).mapToObj(i -> tmp.resolve("fifo" + i)).toList());
        List<String> options = new ArrayList<>(List.of("-Xmx256m", "-XX:-UseDynamicNumberOfGCThreads",
                "-XX:-UseDynamicNumberOfCompilerThreads", "-D" + Ringpark.THREADS_PROP_NAME + "=" + POOL_THREADS));
        ThisMachine.askedDriver().ifPresent(rung -> options.add("-D" + Ringpark.DRIVER_PROP_NAME + "=" + rung.label()));
        if (ThisMachine.nativeAccessDenied()) {
            options.add(ChildJvm.DENY_NATIVE_ACCESS);
        }
        ChildJvm.Result child = ChildJvm.run(ChildJvm.command(List.of(), options, tmp, ParkedCalls.class, tmp.toString(),
                Integer.toString(fifos), Integer.toString(readersPerFifo), call), tmp, Duration.ofSeconds(100));
        System.out.println("OsThreadCountTest " + call + ": " + child.stdout().strip());
        ChildJvm.assertNoCrash(child, tmp);
        assertEquals(0, child.exitCode(), child.toString());
        String driver = child.stdout().lines().filter(line -> line.startsWith("driver=")).findFirst()
                .map(line -> line.substring("driver=".length(), line.indexOf(' '))).orElseThrow(() -> new AssertionError(
                        "the child named no driver: " + child));
        long pool = driver.equals("io_uring") ? 0 : child.value("poolThreads");
        int calls = fifos * readersPerFifo;
        assertEquals(calls, child.value("parked"), "calls still parked before any data came: " + child);
        assertTrue(child.value("peak") <= child.value("baseline") + ALLOWANCE + pool, "with " + calls
                + " virtual threads parked in " + call + " on " + driver + " the child JVM had up to "
                + child.value("peak") + " OS threads; baseline " + child.value("baseline") + " + allowance "
                + ALLOWANCE + " + pool " + pool);
        assertEquals(0, child.value("wrongRecords"), "FIFOs whose readers got the wrong records: " + child);
    }

    /** The JVM's OS threads now (SoakTest counts with it too). */
    static int osThreads() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return (int) tasks.count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc/self/task", e);
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
