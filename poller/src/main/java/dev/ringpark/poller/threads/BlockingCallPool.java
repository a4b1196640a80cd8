package dev.ringpark.poller.threads;

import dev.ringpark.poller.Cancel;
import dev.ringpark.poller.CompletionReaper;
import dev.ringpark.poller.Errno;
import dev.ringpark.poller.Operation;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded pool of platform threads that run operations as blocking system calls (what QEMU does
 * where it has no io_uring), feeding their results back to the poller.
 *
 * <p>Threads: started on demand, when a task arrives and no worker is idle, up to
 * {@code maxThreads}; they then stay. Tasks beyond the threads wait in a queue; the poller bounds how
 * many it hands over.
 *
 * <p>Completion: a worker puts the finished task on a queue and then runs {@code completionSignal}
 * (which wakes the poller). The poller drains that queue in {@link #reapCompleted}; since a task is
 * queued before the signal fires, a poller that finds the queue empty and then waits for the signal
 * never misses one.
 *
 * <p>Everything but the workers' own loop and the completion signal runs on the poller thread.
 */
public final class BlockingCallPool {
    private static final PoolTask STOP = new PoolTask(null, 0);

    private final int maxThreads;
    private final String threadName;
    private final Runnable completionSignal;
    private final LinkedBlockingQueue<PoolTask> queued = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<PoolTask> completed = new ConcurrentLinkedQueue<>();
    /** Workers waiting for a task; written by workers, read by the poller to decide whether to start one. */
    private final AtomicInteger idle = new AtomicInteger();
    /** Poller only: the tasks handed over and not yet reaped, by {@code user_data}, for cancels. */
    private final Map<Long, PoolTask> inFlight = new HashMap<>();
    /** Poller only. */
    private int started;

    /**
     * @param maxThreads       the most worker threads, at least 1
     * @param threadName       the workers' name prefix
     * @param completionSignal run by a worker after each task it finishes; must not block
     */
    public BlockingCallPool(int maxThreads, String threadName, Runnable completionSignal) {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("a pool needs at least one thread, was: " + maxThreads);
        }
        this.maxThreads = maxThreads;
        this.threadName = threadName;
        this.completionSignal = completionSignal;
    }

    public int maxThreads() {
        return maxThreads;
    }

    /** Poller: hands {@code operation} to a worker, starting one if every worker is busy. */
    public void submit(Operation operation, long userData) {
        PoolTask task = new PoolTask(operation, userData);
        inFlight.put(userData, task);
        queued.add(task);
        if (started < maxThreads && queued.size() > idle.get()) {
            startWorker();
        }
    }

    /**
     * Starts a worker, creating its native state here so that a failure (no descriptor left for its
     * eventfd) surfaces on the poller: fatal when there is no worker at all, else the queue waits
     * for the workers there are.
     */
    private void startWorker() {
        BlockingSyscalls syscalls;
        try {
            syscalls = new BlockingSyscalls();
        } catch (IllegalStateException e) {
            if (started == 0) {
                throw e;
            }
            return;
        }
        started++;
        Thread.ofPlatform().name(threadName + "-" + started).daemon().start(() -> work(syscalls));
    }

    /**
     * Poller: runs {@code cancel} under {@code userData}. Its target
     * still queued completes with {@code -ECANCELED}; one running stops waiting for a stream's peer, or
     * finishes its bounded call. The cancel itself completes at the next {@link #reapCompleted}, with
     * 0, or {@code -ENOENT} when its target is not in the pool.
     */
    public void cancel(Cancel cancel, long userData) {
        PoolTask target = inFlight.get(cancel.targetUserData());
        if (target != null && queued.remove(target)) {
            target.setResult(-Errno.ECANCELED);
            completed.add(target);
        } else if (target != null) {
            target.requestCancel();
        }
        answer(cancel, userData, target != null ? 0 : -Errno.ENOENT);
    }

    /**
     * Poller: reports {@code result} for {@code operation} at the next {@link #reapCompleted}, as if a
     * worker had run it: for drivers that settle an operation without a system call.
     */
    public void answer(Operation operation, long userData, int result) {
        PoolTask answer = new PoolTask(operation, userData);
        answer.setResult(result);
        completed.add(answer);
    }

    /** Poller: whether the task submitted under {@code userData} is in the pool, not yet reaped. */
    public boolean holds(long userData) {
        return inFlight.containsKey(userData);
    }

    /** Poller: whether {@link #reapCompleted} has anything to report. */
    public boolean hasCompleted() {
        return !completed.isEmpty();
    }

    /** Poller: reports every finished task to {@code reaper}. */
    public void reapCompleted(CompletionReaper reaper) {
        PoolTask task;
        while ((task = completed.poll()) != null) {
            inFlight.remove(task.userData());
            reaper.reap(task.userData(), task.result());
        }
    }

    /** Poller: lets every worker end once it is done with its task. */
    public void close() {
        for (int i = 0; i < started; i++) {
            queued.add(STOP);
        }
    }

    private void work(BlockingSyscalls syscalls) {
        try (syscalls) {
            for (;;) {
                PoolTask task = takeTask();
                if (task == STOP) {
                    return;
                }
                task.setResult(task.claim(syscalls) ? -Errno.ECANCELED : syscalls.run(task));
                completed.add(task); // publishes the result to the poller
                completionSignal.run();
            }
        }
    }

    private PoolTask takeTask() {
        idle.incrementAndGet();
        try {
            return queued.take();
        } catch (InterruptedException e) {
            // Nothing interrupts the workers; one that is interrupted all the same stops.
            Thread.currentThread().interrupt();
            return STOP;
        } finally {
            idle.decrementAndGet();
        }
    }
}
