package dev.ringpark.poller.threads;

import dev.ringpark.poller.Errno;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Platform threads that take tasks from one queue and run each as blocking system calls: started
 * when a task arrives and no thread of the crew is idle, up to a bound; a thread idle for longer than
 * the crew's idle time ends. Part of a {@link BlockingCallPool}, which says what each crew runs.
 *
 * <p>Starting, submitting and closing happen on the poller thread; the threads' own loop on theirs.
 * A thread whose wait times out leaves only once it has counted itself not idle and then found the
 * queue empty; the poller starts a thread whenever the queue holds more tasks than there are idle
 * threads. Each side writes one word and then reads the other's (both volatile), so a task queued as
 * the last idle thread leaves is either taken by it or gets a thread of its own.
 */
final class Crew {
    /** Tells a thread to end; queued once per live thread at close. */
    private static final PoolTask STOP = new PoolTask(null, 0);

    private final String threadName;
    private final int maxThreads;
    private final long idleNanos;
    private final Consumer<PoolTask> finished;
    private final LinkedBlockingQueue<PoolTask> queued = new LinkedBlockingQueue<>();
    /** Threads waiting for a task; written by the threads, read by the poller to decide whether to start one. */
    private final AtomicInteger idle = new AtomicInteger();
    /** Threads running; a thread counts itself out when it ends. */
    private final AtomicInteger live = new AtomicInteger();
    /** Poller only: threads started so far, for their names. */
    private int started;

    /**
     * @param threadName the threads' name prefix
     * @param maxThreads the most threads at once
     * @param idleNanos  how long a thread waits for a task before it ends; {@link Long#MAX_VALUE}: for ever
     * @param finished   given each task once a thread has run it and set its result
     */
    Crew(String threadName, int maxThreads, long idleNanos, Consumer<PoolTask> finished) {
        this.threadName = threadName;
        this.maxThreads = maxThreads;
        this.idleNanos = idleNanos;
        this.finished = finished;
    }

    /**
     * Poller: queues {@code task}, starting a thread if none is idle and the bound allows. A thread's
     * native state is created here, so that a failure (no descriptor left for its eventfd) surfaces on
     * the poller: fatal when the crew has no thread at all, else the queue waits for the threads there are.
     */
    void submit(PoolTask task) {
        if (queueAndNeedThread(task)) {
            BlockingSyscalls syscalls;
            try {
                syscalls = new BlockingSyscalls();
            } catch (IllegalStateException e) {
                if (live.get() == 0) {
                    throw e;
                }
                return;
            }
            live.incrementAndGet();
            started++;
            Thread.ofPlatform().name(threadName + "-" + started).daemon().start(() -> work(syscalls));
        }
    }

    /**
     * Poller: queues {@code task} and tells whether it needs a thread started: when there is room for
     * one and the queue holds more tasks than threads wait for them. The queue's write comes before the
     * read of the idle count; see {@link #leaveAfterIdle()} for the other half.
     */
    boolean queueAndNeedThread(PoolTask task) {
        queued.add(task);
        return live.get() < maxThreads && queued.size() > idle.get();
    }

    /**
     * A thread that waited its idle time for nothing: counts itself not idle, then tells whether it
     * may end, which it may only if the queue is empty. The idle count's write comes before the read
     * of the queue, so that a task queued meanwhile is seen here, or the poller sees one idle thread
     * fewer and starts another ({@code jcstress CrewIdleExit}).
     */
    boolean leaveAfterIdle() {
        idle.decrementAndGet();
        return queued.isEmpty();
    }

    /** A thread: counts itself waiting for a task. */
    void waiting() {
        idle.incrementAndGet();
    }

    /** Poller: takes {@code task} back if no thread has taken it yet. */
    boolean remove(PoolTask task) {
        return queued.remove(task);
    }

    /** Poller: lets every thread end once it is done with its task. */
    void close() {
        for (int i = live.get(); i > 0; i--) {
            queued.add(STOP);
        }
    }

    private void work(BlockingSyscalls syscalls) {
        try (syscalls) {
            for (;;) {
                PoolTask task = take();
                if (task == STOP) {
                    return;
                }
                task.setResult(task.claim(syscalls) ? -Errno.ECANCELED : syscalls.run(task));
                finished.accept(task);
            }
        } finally {
            live.decrementAndGet();
        }
    }

    /** The next task, or {@link #STOP} when the thread should end. */
    private PoolTask take() {
        for (;;) {
            waiting();
            PoolTask task;
            try {
                task = idleNanos == Long.MAX_VALUE ? queued.take() : queued.poll(idleNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                // Nothing interrupts the threads; one that is interrupted all the same stops.
                Thread.currentThread().interrupt();
                idle.decrementAndGet();
                return STOP;
            }
            if (task != null) {
                idle.decrementAndGet();
                return task;
            }
            if (leaveAfterIdle()) {
                return STOP; // idle long enough, and nothing came meanwhile
            }
        }
    }
}
