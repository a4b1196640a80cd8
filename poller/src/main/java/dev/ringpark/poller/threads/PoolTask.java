package dev.ringpark.poller.threads;

import dev.ringpark.poller.Operation;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One operation on its way through a {@link BlockingCallPool}: queued, run by a worker, completed.
 *
 * <p>Cancellation races the worker that runs the task, and neither may miss the other: the worker
 * {@linkplain #claim registers its signal} and then reads the cancel flag; {@link #requestCancel()}
 * sets the flag and then reads the registered signal. Both are volatile, so at least one side sees
 * the other's write: either the worker finds the flag (and does not start, or stops waiting), or the
 * canceller finds the signal and fires it. A worker that waits in the kernel is woken by the signal.
 */
public final class PoolTask {
    private static final VarHandle CANCELLED;
    private static final VarHandle SIGNAL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CANCELLED = lookup.findVarHandle(PoolTask.class, "cancelled", boolean.class);
            SIGNAL = lookup.findVarHandle(PoolTask.class, "signal", CancelSignal.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Wakes the worker running a task from a wait in the kernel. */
    @FunctionalInterface
    public interface CancelSignal {
        /** Any thread; never blocks. */
        void fire();
    }

    private final Operation operation;
    private final long userData;
    @SuppressWarnings("unused") // accessed through CANCELLED
    private volatile boolean cancelled;
    @SuppressWarnings("unused") // accessed through SIGNAL
    private volatile CancelSignal signal;
    /**
     * Written by the worker before it publishes the task to the completed queue, read by the poller
     * after taking it from there: the queue's hand-off orders the two.
     */
    private int result;

    PoolTask(Operation operation, long userData) {
        this.operation = operation;
        this.userData = userData;
    }

    Operation operation() {
        return operation;
    }

    long userData() {
        return userData;
    }

    int result() {
        return result;
    }

    void setResult(int result) {
        this.result = result;
    }

    /**
     * Worker: registers {@code signal} as the way to interrupt this task's waits, then tells whether
     * cancellation was already asked for (the task then must not start).
     */
    boolean claim(CancelSignal signal) {
        SIGNAL.setVolatile(this, signal); // before reading the flag: pairs with requestCancel()
        return isCancelled();
    }

    /** Whether {@link #requestCancel()} has been called. */
    boolean isCancelled() {
        return (boolean) CANCELLED.getVolatile(this);
    }

    /**
     * Any thread: asks the task to stop. A task that has not started never starts; one waiting for a
     * peer (a pipe's other end) stops waiting; one in a bounded system call finishes it.
     */
    void requestCancel() {
        CANCELLED.setVolatile(this, true); // before reading the signal: pairs with claim()
        CancelSignal registered = (CancelSignal) SIGNAL.getVolatile(this);
        if (registered != null) {
            registered.fire();
        }
    }
}
