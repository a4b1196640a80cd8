package dev.ringpark.poller.threads;

import dev.ringpark.poller.Cancel;
import dev.ringpark.poller.CompletionReaper;
import dev.ringpark.poller.Errno;
import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.Operation;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Platform threads that run operations as blocking system calls (what QEMU does where it has no
 * io_uring), feeding their results back to the poller.
 *
 * <p>Threads, in two {@link Crew}s of at most {@code maxThreads} each, started on demand; tasks
 * beyond them wait in their crew's queue (the poller bounds how many it hands over). Calls that end
 * in bounded time (file transfers, fsync, opens, statx) run on one crew, whose threads stay.
 * Transfers on a {@linkplain FileHandle.IoMode#STREAM stream} (a pipe, a FIFO), which may wait for
 * their peer for as long as it takes, run on the other, whose threads end after a minute idle:
 * sharing one crew, enough stream transfers waiting left no thread for anything else, and a file
 * call queued behind them never ran (a process on the pool drivers with 16 parked FIFO reads could
 * not even write its file at exit). Streams still wait behind streams: with more of them waiting at
 * once than the crew has threads, a transfer whose peer is itself queued in this process waits for
 * one ahead of it to finish (io_uring waits for streams without threads).
 *
 * <p>Completion: a thread puts the finished task on a queue and then runs {@code completionSignal}
 * (which wakes the poller). The poller drains that queue in {@link #reapCompleted}; since a task is
 * queued before the signal fires, a poller that finds the queue empty and then waits for the signal
 * never misses one.
 *
 * <p>Everything but the threads' own loop and the completion signal runs on the poller thread.
 */
public final class BlockingCallPool {
    /** How long a stream thread waits for another transfer before it ends. */
    private static final long STREAM_IDLE_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final int maxThreads;
    private final Runnable completionSignal;
    private final ConcurrentLinkedQueue<PoolTask> completed = new ConcurrentLinkedQueue<>();
    /** Poller only: the tasks handed over and not yet reaped, by {@code user_data}, for cancels. */
    private final Map<Long, PoolTask> inFlight = new HashMap<>();
    private final Crew calls;
    private final Crew streams;

    /**
     * @param maxThreads       the most threads of each crew, at least 1
     * @param threadName       the threads' name prefix
     * @param completionSignal run by a thread after each task it finishes; must not block
     */
    public BlockingCallPool(int maxThreads, String threadName, Runnable completionSignal) {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("a pool needs at least one thread, was: " + maxThreads);
        }
        this.maxThreads = maxThreads;
        this.completionSignal = completionSignal;
        this.calls = new Crew(threadName, maxThreads, Long.MAX_VALUE, this::finished);
        this.streams = new Crew(threadName + "-stream", maxThreads, STREAM_IDLE_NANOS, this::finished);
    }

    /** The most threads for calls that end in bounded time, and again for stream transfers. */
    public int maxThreads() {
        return maxThreads;
    }

    /** Poller: hands {@code operation} to a thread of the crew that runs its kind of call. */
    public void submit(Operation operation, long userData) {
        PoolTask task = new PoolTask(operation, userData);
        inFlight.put(userData, task);
        FileHandle handle = operation.handle();
        (handle != null && handle.ioMode() == FileHandle.IoMode.STREAM ? streams : calls).submit(task);
    }

    /**
     * Poller: runs {@code cancel} under {@code userData}. Its target
     * still queued completes with {@code -ECANCELED}; one running stops waiting for a stream's peer, or
     * finishes its bounded call. The cancel itself completes at the next {@link #reapCompleted}, with
     * 0, or {@code -ENOENT} when its target is not in the pool.
     */
    public void cancel(Cancel cancel, long userData) {
        PoolTask target = inFlight.get(cancel.targetUserData());
        if (target != null && (calls.remove(target) || streams.remove(target))) {
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

    /** Poller: lets every thread end once it is done with its task. */
    public void close() {
        calls.close();
        streams.close();
    }

    /** A thread: publishes {@code task}'s result to the poller, then wakes it. */
    private void finished(PoolTask task) {
        completed.add(task); // publishes the result to the poller
        completionSignal.run();
    }
}
