package dev.ringpark;

import dev.ringpark.poller.OpenMode;
import dev.ringpark.poller.WaitingCalls;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Opens that may wait for a peer (a FIFO's open waits until another opens its other end), each on a
 * platform thread of its own. In a bounded pool they hang: the peer's open may be queued behind
 * enough waiting ones to fill the pool (measured: 8 FIFO pairs opened at once on io_uring, whose
 * workers are bounded at 4 per CPU, 16 on the pool drivers). These threads come from a pool with no
 * bound whose idle threads end after a minute, so only opens waiting at the same time add threads,
 * as carriers were added for them before JDK 23.
 */
final class FifoOpens {
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(new PlatformThreads("ringpark-open-"));

    private FifoOpens() {
    }

    /**
     * Opens {@code path} as {@code mode} says, the caller parked until the open returns (not interruptibly).
     *
     * @param path a NUL-terminated path that stays valid until this returns
     * @return a descriptor, or {@code -errno}
     */
    static int open(MemorySegment path, OpenMode mode) throws IOException {
        return run(() -> WaitingCalls.open(path, mode));
    }

    /** Runs {@code open}, the caller parked until it returns (not interruptibly). */
    static <T> T run(Callable<T> open) throws IOException {
        return PlatformThreads.awaitUninterruptibly(THREADS.submit(open));
    }
}
