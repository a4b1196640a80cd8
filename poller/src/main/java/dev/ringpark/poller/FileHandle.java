package dev.ringpark.poller;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * An open file descriptor and the operations using it: the descriptor is closed only after every
 * operation that entered has left, so the kernel never sees a reused descriptor number.
 *
 * <p>The count of operations inside and the closing bit share {@link #state}, the sign bit being
 * "closing". {@link #enter()} increments the count only while the bit is clear; {@link #beginClose()}
 * sets it. Because both act on one word, an operation either entered before close began (and close
 * waits for it) or is refused.
 */
public final class FileHandle {
    private static final int CLOSING = Integer.MIN_VALUE;
    private static final VarHandle STATE;
    private static final VarHandle CLOSER;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(FileHandle.class, "state", int.class);
            CLOSER = lookup.findVarHandle(FileHandle.class, "closer", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** How the kernel treats transfers on a descriptor, which decides how a driver may run them. */
    public enum IoMode {
        /** A regular file through the page cache: transfers take bounded time but may wait for the disk. */
        BUFFERED,
        /** A regular file opened with {@code O_DIRECT}: transfers go to the device and bypass the cache. */
        DIRECT,
        /**
         * A pipe, FIFO, socket or terminal: a transfer may wait for ever for its peer. The drivers
         * that run such transfers on platform threads set {@code O_NONBLOCK} on the descriptor, so
         * it must be the handle's own open file description.
         */
        STREAM
    }

    private final int fd;
    private final IoMode ioMode;
    private final FileType type;
    private final FileSystemTraits fileSystem;
    private final boolean writable;
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;
    /** The thread waiting in {@link #awaitIdle()}; set before the closing bit. */
    @SuppressWarnings("unused") // accessed through CLOSER
    private volatile Thread closer;

    /**
     * @param fd         the open descriptor, which this handle now owns
     * @param ioMode     how the kernel treats its transfers
     * @param type       what it is open on ({@link FileType#UNKNOWN} if not known)
     * @param fileSystem the file system it is on ({@link FileSystemTraits#UNKNOWN} if not known): which
     *                   of its calls {@link CallerCalls} may make on the caller
     * @param writable   whether it was opened for writing
     */
    public FileHandle(int fd, IoMode ioMode, FileType type, FileSystemTraits fileSystem, boolean writable) {
        this.fd = fd;
        this.ioMode = ioMode;
        this.type = type;
        this.fileSystem = fileSystem;
        this.writable = writable;
    }

    public int fd() {
        return fd;
    }

    public IoMode ioMode() {
        return ioMode;
    }

    public FileType type() {
        return type;
    }

    public FileSystemTraits fileSystem() {
        return fileSystem;
    }

    public boolean writable() {
        return writable;
    }

    /**
     * Counts one more operation in, unless close has begun.
     *
     * @return {@code false} when the handle is closing: the caller must not use the descriptor
     */
    public boolean enter() {
        for (;;) {
            int current = (int) STATE.getVolatile(this);
            if (current < 0) {
                return false;
            }
            if (STATE.compareAndSet(this, current, current + 1)) {
                return true;
            }
        }
    }

    /** Counts one operation out; the last one out after close began wakes the closer. */
    public void exit() {
        int after = (int) STATE.getAndAdd(this, -1) - 1;
        if (after == CLOSING) {
            // The closer was written before the closing bit, which this getAndAdd observed.
            LockSupport.unpark((Thread) CLOSER.getVolatile(this));
        }
    }

    /** Whether close has begun. */
    public boolean isClosing() {
        return (int) STATE.getVolatile(this) < 0;
    }

    /**
     * Begins closing: no operation enters from now on.
     *
     * @return {@code false} when close had already begun (another thread owns the close)
     */
    public boolean beginClose() {
        Thread current = Thread.currentThread();
        if (!CLOSER.compareAndSet(this, (Thread) null, current)) {
            return false;
        }
        // After the closer store: an exit() that sees the bit also sees who to wake.
        STATE.getAndBitwiseOr(this, CLOSING);
        return true;
    }

    /**
     * Closer only, after {@link #beginClose()}: whether no operation is inside. Once true it stays
     * true, since none can enter any more; the closer then has nothing to cancel.
     */
    public boolean isIdle() {
        // Pairs with the getAndAdd of exit(): a count of zero seen here means every operation has left.
        return (int) STATE.getVolatile(this) == CLOSING;
    }

    /**
     * Closer only, after {@link #beginClose()}: parks until every operation that entered has left.
     * Interrupts do not end the wait (the descriptor must not close under the kernel); the interrupt
     * status is kept.
     */
    public void awaitIdle() {
        boolean interrupted = false;
        while (!isIdle()) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
