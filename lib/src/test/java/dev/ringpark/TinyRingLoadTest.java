package dev.ringpark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny ring (8 submission and 16 completion entries: 7 slots, 6 for operations, 1 kept for cancels)
 * under 100,000 positional writes and 100,000 reads from 10,000 virtual threads, in a child JVM
 * because the ring size is read once per process. Reads skip the page-cache fast path, so every operation goes through the ring.
 * Every byte is checked. No carrier may block in the kernel: a platform thread samples the system
 * call each carrier is in, and none may be a file read, write or sync (the JDK's FileChannel in the
 * same program shows pwrite64 on the carriers). A heartbeat virtual thread must keep ticking too; its
 * bound is loose, because with 10,000 runnable virtual threads on 2 busy cores it queues behind them
 * (the same program on the JDK's FileChannel showed gaps of 300-1700 ms on this VM under load, Ringpark
 * 200-1600 ms with other builds running); it catches a stall of the scheduler, not a single blocked call.
 *
 * <p>The child probes as a user's JVM would: where io_uring is refused it runs the next driver, where
 * the ring size bounds the operations in flight just the same; there the pool's threads (at most
 * {@value Ringpark#THREADS_DEFAULT}, started under the load) are allowed on top of the baseline.
 */
class TinyRingLoadTest {
    static final int THREADS = 10_000;
    static final int ROUNDS = 10;
    /** Longest pause allowed between heartbeat ticks (5 ms apart on an idle scheduler). */
    static final long MAX_GAP_MILLIS = 5000;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void tenThousandThreadsThroughAnEightEntryRing() throws Exception {
        List<String> command = ChildJvm.command(List.of(),
                List.of("-Dringpark.ring.entries=8", "-Dringpark.read.fastPath=false", "-Xmx512m"), tmp,
                TinyRingLoad.class, tmp.resolve("blocks").toString(), Integer.toString(THREADS),
                Integer.toString(ROUNDS));
        ChildJvm.Result result = ChildJvm.run(command, tmp, Duration.ofSeconds(100));
        System.out.println(result);
        ChildJvm.assertNoCrash(result, tmp);
        assertEquals(0, result.exitCode(), result.toString());
        boolean ioUring = result.stdout().contains("driver: io_uring ");
        if (ioUring) {
            // Twice the completion entries: room for the linked timeouts of deadline-bound operations.
            assertTrue(result.stdout().contains("sq=8 cq=16"), "the child's ring: " + result.stdout());
        }
        long allowance = 8 + (ioUring ? 0 : Ringpark.THREADS_DEFAULT);
        assertEquals((long) THREADS * ROUNDS, result.value("writes"), "writes done");
        assertEquals((long) THREADS * ROUNDS, result.value("reads"), "reads done");
        assertEquals(0, result.value("errors"), "operations that threw");
        assertEquals(0, result.value("mismatches"), "reads that returned other bytes than written");
        assertEquals(0, result.value("finalMismatches"), "blocks whose final contents are wrong");
        assertTrue(result.value("carrierSamples") > 100, "too few samples of the carriers: " + result.stdout());
        assertEquals(0, result.value("carrierFileSyscalls"), "carriers seen in blocking file system calls: "
                + result.stdout());
        assertTrue(result.value("maxGapMs") < MAX_GAP_MILLIS, "the heartbeat stalled for " + result.value("maxGapMs")
                + " ms: the carriers were blocked");
        assertTrue(result.value("osThreadsPeak") <= result.value("osThreadsBaseline") + allowance,
                "OS threads grew under load: " + result.stdout());
    }
}
