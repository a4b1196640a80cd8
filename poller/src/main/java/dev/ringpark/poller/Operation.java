package dev.ringpark.poller;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One system call handed to the poller, and the place its caller parks until the result arrives.
 *
 * <p>Each subclass is one kind of call, with fields that each mean one thing; a driver decodes an
 * operation once, with a {@code switch} over this sealed hierarchy. This class holds what every
 * kind shares: the hand-off state, the result, and the park.
 *
 * <p>An operation is created by its caller, handed over once through {@link Poller#execute}, and
 * completed once by the poller. Native memory it names must stay valid until {@link #isDone()}: the
 * caller keeps it alive by waiting, which it does even after an interrupt.
 */
public abstract sealed class Operation
        permits Transfer, VectoredTransfer, Sync, Stat, Truncate, Advise, Open, Unlink, Close, Nop, Cancel,
        CancelAll, KernelCopy, AwaitReady {
    private static final VarHandle STATE;
    private static final int PENDING = 0;
    private static final int DONE = 1;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Operation.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final FileHandle handle;

    /** The parked caller; written before the hand-off publishes this operation. */
    private Thread waiter;
    /** {@link #PENDING} or {@link #DONE}; stored by the poller after {@link #result} (see {@link #publishDone}). */
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;
    /** Valid once {@link #state} is {@link #DONE}. */
    private int result;
    /** Set instead of {@link #result} when the poller failed; valid once {@link #state} is DONE. */
    private IOException failure;
    /** With {@link #failure}: whether the kernel may have run the operation before the poller failed. */
    private boolean failedInKernel;
    /** Whether {@link #deadlineNanos} bounds the call; written before the hand-off publishes this operation. */
    private boolean hasDeadline;
    /** When the call must be over, on {@link System#nanoTime()}'s clock; see {@link #setDeadlineNanos}. */
    private long deadlineNanos;

    /** Poller only: link in the hand-off queue (written by the caller before publication). */
    Operation next;
    /** Poller only: the {@code user_data} while in the driver, else 0. */
    long userData;
    /** Poller only: the driver's ticket for this submission (see {@link Driver#submit}). */
    long ticket;
    /** Poller only: where the poller holds this operation. */
    Stage stage = Stage.HANDED_OVER;

    /** Where the poller holds an operation; poller only. */
    enum Stage { HANDED_OVER, BACKLOG, IN_DRIVER, DONE }

    /** @param handle the open descriptor the operation uses and holds open, or {@code null} */
    Operation(FileHandle handle) {
        this.handle = handle;
    }

    /**
     * The handle this operation uses: a close of the handle cancels it. {@code null} for the kinds
     * that name no open descriptor ({@link Open}, {@link Unlink}) or that a handle's close itself
     * makes ({@link Close}).
     */
    public final FileHandle handle() {
        return handle;
    }

    /**
     * Whether {@code other} is a handle this operation uses, whose close therefore cancels it: its
     * {@link #handle()}, and for a {@link KernelCopy} or an {@link AwaitReady} the transfer's other end too.
     */
    boolean uses(FileHandle other) {
        return other != null && other == handle;
    }

    /** Whether a handle this operation uses has begun closing: the poller then cancels it before it starts. */
    boolean closing() {
        return handle != null && handle.isClosing();
    }

    /**
     * Whether an interrupted caller cancels this operation. Opens, closes and unlinks are not, as the
     * JDK's are not interruptible: a cancelled open would fail where the JDK's succeeds, and giving up
     * a close or an unlink half-way would leak a descriptor or leave a file behind.
     */
    boolean cancellable() {
        return true;
    }

    /**
     * Caller, before the hand-off: the call must be over by {@code nanoTime}, on
     * {@link System#nanoTime()}'s clock (a deadline, not a duration, so that the time the operation
     * waits in the backlog counts too). If it is still in flight then, it is cancelled: by the kernel,
     * on a driver that {@linkplain Driver#timesOutInKernel() times operations out itself}, else by the
     * parked caller, which hands over a {@link Cancel} as an interrupt does. Either way the caller
     * still waits for the completion, since the memory the operation names stays the kernel's until
     * then; an operation the kernel cannot stop completes as it would have.
     *
     * @return this operation
     */
    public final Operation setDeadlineNanos(long nanoTime) {
        deadlineNanos = nanoTime;
        hasDeadline = true;
        return this;
    }

    /** Whether the call has a deadline ({@link #setDeadlineNanos}); drivers read it on the poller thread. */
    public final boolean hasDeadline() {
        return hasDeadline;
    }

    /** The deadline on {@link System#nanoTime()}'s clock; meaningful only when {@link #hasDeadline()}. */
    public final long deadlineNanos() {
        return deadlineNanos;
    }

    /** Whether a result (or a failure) is in. Acquires the state: the result may be read after. */
    public final boolean isDone() {
        return (int) STATE.getAcquire(this) == DONE;
    }

    /**
     * The result: what the system call returned, or {@code -errno}.
     *
     * @throws IOException when the poller failed before the kernel answered
     * @throws IllegalStateException when the operation is not done
     */
    public final int result() throws IOException {
        if (!isDone()) {
            throw new IllegalStateException("operation not done: " + this);
        }
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
        return result;
    }

    /**
     * Whether the kernel may have run this operation although it has no result: the poller failed
     * while the kernel held it. {@code false} for an operation that never got that far, whose effect
     * (a close, say) is certain not to have happened. Valid once {@link #isDone()}, or after
     * {@link Poller#execute} threw.
     */
    public final boolean mayHaveRun() {
        return isDone() && (failure == null || failedInKernel);
    }

    /** Caller: records the thread to unpark. Must precede the hand-off. */
    final void setWaiter(Thread thread) {
        waiter = thread;
    }

    /** Poller: stores the result, publishes it, and wakes the caller. Called once. */
    final void complete(int value) {
        result = value;
        publishDone();
    }

    /**
     * Makes the state {@link #DONE} and unparks the caller. The store is volatile, not merely a
     * release (which would suffice for the result, read after the caller's acquire in
     * {@link #isDone()}): it must not be reordered after the unpark. A virtual thread's unpark
     * only reads its permit when the permit is already set (a stale one, from an earlier unpark),
     * and the carrier resuming that thread then clears the permit with a plain write; if DONE
     * could become visible after that read, the caller would resume, still find the operation
     * pending, and park for good. Volatile accesses are totally ordered: DONE precedes the read
     * of the permit, which precedes the clear, which precedes the caller's next look at the state.
     * Found by {@code SoakTest}, which hung 3 of 6 runs on a loaded machine with the release.
     */
    private void publishDone() {
        STATE.setVolatile(this, DONE);
        LockSupport.unpark(waiter);
    }

    /**
     * Poller: fails the operation with {@code cause} instead of a result. Called once.
     *
     * @param inKernel whether the operation had been handed to the kernel, which may have run it
     */
    final void fail(IOException cause, boolean inKernel) {
        failure = cause;
        failedInKernel = inKernel;
        publishDone();
    }

    /**
     * Caller: parks until the operation is done. The first interrupt seen while waiting runs
     * {@code onInterrupt} (which asks for cancellation) if the operation is {@linkplain #cancellable()
     * cancellable}, and the wait goes on, because the memory the operation names stays in the
     * kernel's hands until its completion arrives.
     *
     * @return whether the thread was interrupted while waiting; its interrupt status is then set again
     */
    final boolean awaitDone(Runnable onInterrupt) {
        return awaitDone(onInterrupt, true, false, 0);
    }

    /**
     * Caller: parks until the operation is done, asking for its cancellation at most once: when an
     * interrupt is seen (if {@code cancelOnInterrupt}), or when {@code wakeAtNanos} passes (if
     * {@code timed}), whichever comes first, and only for a {@linkplain #cancellable() cancellable}
     * operation. Either way the wait goes on until the completion arrives, as in
     * {@link #awaitDone(Runnable)}.
     *
     * <p>A timed wait parks with a timeout, so that the caller wakes at {@code wakeAtNanos} on its
     * own; once it has asked for cancellation it parks without one. A completion's unpark ends
     * either kind of park, and a permit left by an unpark before the park makes the park return at
     * once, so the timeout adds no way of losing a wake-up: every return from a park re-reads the
     * state before parking again.
     *
     * @param cancel            asks the poller to cancel this operation; never blocks
     * @param cancelOnInterrupt whether an interrupt asks for cancellation
     * @param timed             whether {@code wakeAtNanos} applies
     * @param wakeAtNanos       when to ask for cancellation if the operation is still not done, on
     *                          {@link System#nanoTime()}'s clock
     * @return whether the thread was interrupted while waiting; its interrupt status is then set again
     */
    final boolean awaitDone(Runnable cancel, boolean cancelOnInterrupt, boolean timed, long wakeAtNanos) {
        boolean interrupted = false;
        boolean cancelAsked = false;
        while (!isDone()) {
            if (timed && !cancelAsked) {
                long left = wakeAtNanos - System.nanoTime();
                if (left <= 0) {
                    cancelAsked = true;
                    if (cancellable()) {
                        cancel.run();
                    }
                    continue; // look at the state again before parking without a timeout
                }
                LockSupport.parkNanos(this, left);
            } else {
                LockSupport.park(this);
            }
            // Thread.interrupted() clears the status, so the next park blocks instead of spinning.
            if (Thread.interrupted() && !interrupted) {
                interrupted = true;
                if (cancelOnInterrupt && !cancelAsked) {
                    cancelAsked = true;
                    if (cancellable()) {
                        cancel.run();
                    }
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return interrupted;
    }
}
