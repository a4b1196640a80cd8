package dev.ringpark.benchmarks;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadTest {
    @Test
    void countsEveryCompletedOperationOnceAcrossLooks() throws Exception {
        AtomicInteger done = new AtomicInteger();
        Load load = Load.start(8, caller -> {
            done.incrementAndGet();
            blockBriefly();
        });
        long seen = load.awaitProgress().operations();
        seen += load.awaitProgress().operations();
        load.stop();
        seen += load.progress().operations();
        assertTrue(seen > 0);
        assertEquals(done.get(), seen);
    }

    @Test
    void givesEveryCallerItsOwnNumber() throws Exception {
        int callers = 5;
        AtomicInteger[] calls = new AtomicInteger[callers];
        for (int caller = 0; caller < callers; caller++) {
            calls[caller] = new AtomicInteger();
        }
        Load load = Load.start(callers, caller -> {
            calls[caller].incrementAndGet();
            blockBriefly();
        });
        long deadline = System.nanoTime() + 5_000_000_000L; // a busy machine may start some callers late
        while (Arrays.stream(calls).anyMatch(count -> count.get() == 0) && System.nanoTime() < deadline) {
            load.awaitProgress();
        }
        load.stop();
        for (AtomicInteger count : calls) {
            assertTrue(count.get() > 0, Arrays.toString(calls));
        }
    }

    @Test
    void aFailingCallerStopsTheLoadAndSurfacesItsException() throws Exception {
        IOException failure = new IOException("disk on fire");
        CountDownLatch failed = new CountDownLatch(1);
        Load load = Load.start(4, caller -> {
            failed.countDown();
            throw failure;
        });
        failed.await(); // a stop before any caller has run would have nothing to surface
        IOException thrown = assertThrows(IOException.class, load::stop);
        assertSame(failure, thrown.getCause());
        assertThrows(IOException.class, load::progress);
    }

    @Test
    void chargesTheProcessCpuTimeSpentBetweenLooks() throws Exception {
        Load load = Load.start(2, caller -> {
            long until = System.nanoTime() + 100_000;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            blockBriefly();
        });
        long cpuNanos = 0;
        for (int look = 0; look < 10; look++) { // the process CPU clock ticks every 10 ms
            cpuNanos += load.awaitProgress().cpuNanos();
        }
        load.stop();
        assertTrue(cpuNanos >= 50_000_000, cpuNanos + " ns of CPU in 100 ms of two spinning callers");
    }

    /**
     * Parks for a moment, as a step blocked in I/O would. A step that never parks would keep its
     * carrier: virtual threads are not time-sliced, and a yielding one is run again before the
     * callers still waiting to start.
     */
    private static void blockBriefly() {
        LockSupport.parkNanos(10_000);
    }
}
