package dev.ringpark;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileLockInterruptionException;
import java.nio.channels.InterruptedByTimeoutException;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where the JDK calls of one {@link OffloadedFileChannel} run, and how they stop: a call that may
 * block on one of at most {@link Ringpark#threads()} platform threads while the caller parks
 * (waiting for a {@link Future} does not pin a virtual thread's carrier), a call that cannot on the
 * caller.
 *
 * <p>Interrupts: an interrupt while waiting closes the channel, which makes the JDK call on the
 * pool thread end ({@code AsynchronousCloseException} there), waits for it to end, so that the
 * caller's buffer is no longer in use, and throws {@link ClosedByInterruptException}, as the JDK's
 * channel does.
 *
 * <p>Deadlines, and interrupts under {@link RingOpenOption#INTERRUPT_CANCELS_CALL}, stop a call
 * without closing the channel where the JDK allows it: a call still queued for a pool thread is
 * taken off the queue; one running on a regular file takes bounded time and is waited for, its
 * result returned. The JDK has no way to stop a call blocked on a FIFO, pipe or device but closing
 * its channel (interrupting the pool thread closes it too), so such a call closes the channel,
 * waits for the call to end and throws {@link InterruptedByTimeoutException} or
 * {@link java.io.InterruptedIOException}.
 */
final class OffloadedCalls {
    /** The pool of calls on files and directories, and of opens. */
    static final ExecutorService POOL =
            Executors.newFixedThreadPool(Ringpark.threads(), new PlatformThreads("ringpark-io-"));

    /**
     * The calls of channels on a FIFO, a device or a socket, which may wait for a peer for as long as
     * it takes: on a pool of their own (as many threads, idle ones ending after a minute), so that
     * enough of them waiting cannot keep the files' calls from running, as the pool drivers do.
     */
    private static final ThreadPoolExecutor STREAM_POOL = new ThreadPoolExecutor(Ringpark.threads(),
            Ringpark.threads(), 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
            new PlatformThreads("ringpark-io-stream-"));

    static {
        STREAM_POOL.allowCoreThreadTimeOut(true);
    }

    /** The channel whose calls these are: closed to stop a call, or because an interrupt closes it. */
    private final RingFileChannel channel;
    /** What an interrupt of a caller does; when it does nothing, every call runs on the pool. */
    private final InterruptPolicy interrupts;
    /** Whether the file is a FIFO, a device or a socket, whose calls may wait for ever: only a close stops them. */
    private final boolean mayWaitForever;
    /** Where the calls run: {@link #POOL}, or {@link #STREAM_POOL} when they may wait for ever. */
    private final ExecutorService pool;
    /** The calls handed to the pool and not yet over: a close takes those still queued off the queue. */
    private final Set<PoolCall<?>> handedOver = ConcurrentHashMap.newKeySet();

    OffloadedCalls(RingFileChannel channel, InterruptPolicy interrupts, boolean mayWaitForever) {
        this.channel = channel;
        this.interrupts = interrupts;
        this.mayWaitForever = mayWaitForever;
        this.pool = mayWaitForever ? STREAM_POOL : POOL;
    }

    /** Where the channel's calls run. */
    ExecutorService pool() {
        return pool;
    }

    /** What an interrupt of a caller does. */
    InterruptPolicy interrupts() {
        return interrupts;
    }

    /**
     * The policy for the calls left to the JDK's own semantics ({@code map}, {@code lock},
     * {@code tryLock}): an interrupt closes the channel, as the JDK's does, unless the channel ignores
     * interrupts.
     */
    InterruptPolicy jdkInterrupts() {
        return interrupts == InterruptPolicy.IGNORE ? InterruptPolicy.IGNORE : InterruptPolicy.CLOSE_CHANNEL;
    }

    /** Why a call stopped the JDK call it waited for before it returned. */
    private enum Stop { DEADLINE, INTERRUPT }

    /**
     * A call handed to the pool that can be taken off the queue only if it has not started:
     * {@code Future.cancel(false)} alone would not do, since it also "cancels" a running task (which
     * runs on, into the caller's buffer, while its caller would be told it was cancelled). The pool
     * thread claims the call before running it; a canceller claims it to keep it from running; one of
     * the two compare-and-sets wins.
     */
    private static final class PoolCall<T> implements Callable<T> {
        private final Callable<T> call;
        private final AtomicBoolean claimed = new AtomicBoolean();
        /** Set right after submission, before any {@link #unqueue()}. */
        private Future<T> future;

        PoolCall(Callable<T> call) {
            this.call = call;
        }

        @Override
        public T call() throws Exception {
            if (!claimed.compareAndSet(false, true)) {
                throw new CancellationException("taken off the queue");
            }
            return call.call();
        }

        /** Keeps the call from ever running, if it has not started: then its future is cancelled. */
        boolean unqueue() {
            if (!claimed.compareAndSet(false, true)) {
                return false;
            }
            future.cancel(false);
            return true;
        }
    }

    /**
     * Takes the calls still queued for a pool thread off the queue, once the JDK's channel is closed:
     * their callers get {@link AsynchronousCloseException} at once instead of when a thread frees.
     */
    void unqueueAll() {
        handedOver.forEach(PoolCall::unqueue);
    }

    /** {@link #offload(Callable, Deadline, InterruptPolicy)} without a deadline, under the channel's policy. */
    <T> T offload(Callable<T> call) throws IOException {
        return offload(call, Deadline.NONE, interrupts);
    }

    /** {@link #offload(Callable, Deadline, InterruptPolicy)} under the channel's policy. */
    <T> T offload(Callable<T> call, Deadline deadline) throws IOException {
        return offload(call, deadline, interrupts);
    }

    /**
     * Runs {@code call}, a call on the channel that may block, on a pool thread and parks until it
     * ends. A caller interrupted already makes the call itself under {@link InterruptPolicy#CLOSE_CHANNEL}:
     * the JDK's channel checks its arguments, then sees the interrupt and closes before any I/O,
     * exactly as for its own callers; under {@link InterruptPolicy#CANCEL_CALL} it throws at once.
     *
     * <p>An interrupt while parked: closes the channel (which ends the JDK call on the pool thread,
     * or takes it off the queue), waits for the call to end and throws
     * {@link ClosedByInterruptException}; or, under {@link InterruptPolicy#CANCEL_CALL}, stops the call
     * ({@link #stop}) and throws {@link java.io.InterruptedIOException} unless it completed. The
     * deadline stops the call likewise and throws {@link InterruptedByTimeoutException} unless it
     * completed. A call that completed returns its result, the interrupt status set if one came.
     */
    <T> T offload(Callable<T> call, Deadline deadline, InterruptPolicy policy) throws IOException {
        if (policy == InterruptPolicy.IGNORE && !deadline.isBounded()) {
            return PlatformThreads.awaitUninterruptibly(pool.submit(call));
        }
        if (Thread.currentThread().isInterrupted()) {
            switch (policy) {
                case CLOSE_CHANNEL -> {
                    return onCaller(call, policy);
                }
                case CANCEL_CALL -> throw InterruptPolicy.interrupted();
                case IGNORE -> { }
            }
        }
        boolean wasOpen = channel.isOpen();
        PoolCall<T> handed = new PoolCall<>(call);
        Future<T> future = pool.submit(handed);
        handed.future = future;
        handedOver.add(handed);
        if (wasOpen && !channel.isOpen()) {
            handed.unqueue(); // a close that began after wasOpen but before the add may not have seen it
        }
        boolean interrupted = false;
        Stop stopped = null;
        try {
            for (;;) {
                try {
                    T result = deadline.isBounded() && stopped == null
                            ? future.get(deadline.remainingNanos(), TimeUnit.NANOSECONDS) : future.get();
                    if (interrupted && policy == InterruptPolicy.CLOSE_CHANNEL) {
                        throw new ClosedByInterruptException();
                    }
                    return result;
                } catch (InterruptedException e) {
                    if (interrupted) {
                        continue; // the first interrupt decided
                    }
                    interrupted = true;
                    switch (policy) {
                        case CLOSE_CHANNEL -> {
                            handed.unqueue(); // not started: it never will; started: the close ends it
                            channel.close();
                        }
                        case CANCEL_CALL -> {
                            if (stopped == null) {
                                stopped = Stop.INTERRUPT;
                                stop(handed);
                            }
                        }
                        case IGNORE -> { }
                    }
                } catch (TimeoutException e) {
                    stopped = Stop.DEADLINE;
                    stop(handed);
                } catch (CancellationException e) {
                    throw neverRan(stopped, interrupted, policy);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof CancellationException) {
                        // The pool thread took the call between unqueue()'s claim and its cancel of the future.
                        throw neverRan(stopped, interrupted, policy);
                    }
                    if (interrupted && policy == InterruptPolicy.CLOSE_CHANNEL) {
                        throw new ClosedByInterruptException();
                    }
                    if (stopped != null && mayWaitForever && e.getCause() instanceof ClosedChannelException) {
                        throw stoppedBy(stopped, interrupted, policy); // this call closed the channel to stop it
                    }
                    if (wasOpen && e.getCause().getClass() == ClosedChannelException.class) {
                        // closed while this call waited for a pool thread: the JDK's caller would have been inside
                        throw new AsynchronousCloseException();
                    }
                    throw PlatformThreads.rethrow(e.getCause());
                }
            }
        } finally {
            handedOver.remove(handed);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Stops the JDK call {@code call} runs, if the JDK allows it without closing: off the queue when
     * it has not started; on a regular file it is left to end (it takes bounded time); on a FIFO, a
     * device or a socket, where it may wait for ever, only closing the channel ends it.
     */
    private void stop(PoolCall<?> call) throws IOException {
        if (!call.unqueue() && mayWaitForever) {
            channel.close();
        }
    }

    /** What a call taken off the queue, by itself ({@code stopped}) or by a close, throws: nothing ran. */
    private static IOException neverRan(Stop stopped, boolean interrupted, InterruptPolicy policy) {
        if (stopped == null && !(interrupted && policy == InterruptPolicy.CLOSE_CHANNEL)) {
            return new AsynchronousCloseException();
        }
        return stoppedBy(stopped, interrupted, policy);
    }

    /** What a call stopped before it completed throws. */
    private static IOException stoppedBy(Stop stopped, boolean interrupted, InterruptPolicy policy) {
        if (interrupted && policy == InterruptPolicy.CLOSE_CHANNEL) {
            return new ClosedByInterruptException();
        }
        if (stopped == Stop.INTERRUPT || interrupted && policy == InterruptPolicy.CANCEL_CALL) {
            return InterruptPolicy.interrupted();
        }
        return Deadline.timedOut();
    }

    /** {@link #onCaller(Callable, InterruptPolicy)} under the channel's policy. */
    <T> T onCaller(Callable<T> call) throws IOException {
        return onCaller(call, interrupts);
    }

    /**
     * A call made on the caller's thread; if an interrupt closed the JDK's channel, the channel closes
     * too. Unless interrupts close the channel, the call runs on the pool instead, where no interrupt
     * of the caller reaches the JDK's channel (which would close itself).
     */
    <T> T onCaller(Callable<T> call, InterruptPolicy policy) throws IOException {
        if (policy != InterruptPolicy.CLOSE_CHANNEL) {
            return offload(call, Deadline.NONE, policy);
        }
        try {
            return call.call();
        } catch (ClosedByInterruptException | FileLockInterruptionException e) {
            channel.close();
            throw e;
        } catch (Exception e) {
            throw PlatformThreads.rethrow(e);
        }
    }
}
