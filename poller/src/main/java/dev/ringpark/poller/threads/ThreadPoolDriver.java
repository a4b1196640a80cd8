package dev.ringpark.poller.threads;

import dev.ringpark.poller.Cancel;
import dev.ringpark.poller.CancelAll;
import dev.ringpark.poller.CompletionReaper;
import dev.ringpark.poller.ConfinedCounter;
import dev.ringpark.poller.Driver;
import dev.ringpark.poller.Operation;

import java.util.concurrent.locks.LockSupport;

/**
 * The last rung: every operation runs as a blocking system call on a {@link BlockingCallPool}
 * thread, for systems that refuse both io_uring and Linux AIO. Callers still park rather than block
 * their carriers; the OS threads are the poller plus at most the pool's.
 *
 * <p>Waiting: the poller parks itself in {@link #await}; a finished task and {@link #wakeup()} both
 * unpark it. A finished task is queued before its unpark, and the poller looks at the queue before
 * parking, so no completion is missed (an unpark before the park leaves a permit).
 */
public final class ThreadPoolDriver implements Driver {
    private final Thread poller = Thread.currentThread();
    private final BlockingCallPool pool;
    private final int capacity;
    /** Poller only: tasks handed to the pool. */
    private final ConfinedCounter submissions = new ConfinedCounter();

    /**
     * Creates the driver on the calling thread, which must be the poller thread.
     *
     * @param threads  the most pool threads
     * @param capacity the most operations handed over at once, queued or running
     */
    public ThreadPoolDriver(int threads, int capacity) {
        this.pool = new BlockingCallPool(threads, "ringpark-io", () -> LockSupport.unpark(poller));
        this.capacity = capacity;
    }

    @Override
    public String name() {
        return "threads";
    }

    @Override
    public String description() {
        return "up to " + pool.maxThreads() + " platform threads doing blocking system calls (and as many more for"
                + " pipe transfers), " + capacity + " operations in flight";
    }

    @Override
    public int capacity() {
        return capacity;
    }

    /** Tickets are not used: a task handed to the pool may run at any moment. */
    @Override
    public long submit(Operation operation, long userData) {
        switch (operation) {
            case Cancel cancel -> pool.cancel(cancel, userData);
            case CancelAll cancelAll -> throw new IllegalArgumentException("the poller resolves " + cancelAll + " itself");
            default -> {
                pool.submit(operation, userData);
                submissions.increment();
            }
        }
        return 0;
    }

    @Override
    public boolean mayHaveReachedKernel(long ticket) {
        return true;
    }

    @Override
    public void await(boolean block, CompletionReaper reaper) {
        if (block && !pool.hasCompleted()) {
            LockSupport.park(this);
        }
        pool.reapCompleted(reaper);
    }

    /** The poller parks rather than calling into the kernel; the workers make the system calls. */
    @Override
    public long kernelCalls() {
        return 0;
    }

    @Override
    public long kernelSubmissions() {
        return submissions.get();
    }

    @Override
    public void wakeup() {
        LockSupport.unpark(poller);
    }

    @Override
    public void close() {
        pool.close();
    }
}
