package dev.ringpark.poller;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One system call handed to the poller, and the place its caller parks until the result arrives.
 *
 * <p>An operation is created by its caller, handed over once through {@link Poller#execute}, and
 * completed once by the poller. Native memory it names ({@link #address()}) must stay valid until
 * {@link #isDone()}: the caller keeps it alive by waiting, which it does even after an interrupt.
 */
public final class Operation {
    /** What the operation asks the kernel to do. */
    public enum Kind {
        /** {@code pread(fd, address, length, offset)}; offset -1 reads at the file position. */
        READ,
        /** {@code pwrite(fd, address, length, offset)}; offset -1 writes at the file position. */
        WRITE,
        /** {@code preadv(fd, iovecs at address, length iovecs, offset)}. */
        READV,
        /** {@code pwritev(fd, iovecs at address, length iovecs, offset)}. */
        WRITEV,
        /** {@code fsync(fd)}. */
        FSYNC,
        /** {@code fdatasync(fd)}. */
        FDATASYNC,
        /**
         * {@code openat(AT_FDCWD, path at address, flags, mode in length)} of a path that may name a
         * device, whose open may wait (a serial line for its carrier, say): io_uring runs it on a
         * worker. A FIFO's open waits for its peer for as long as it takes and would hold a worker of
         * a bounded pool meanwhile, so FIFOs must not be opened through the poller at all.
         */
        OPEN,
        /**
         * {@link #OPEN} of a path known to name a regular file, a directory or nothing, whose open
         * never waits for a peer: io_uring tries it inline first and hands it to a worker only if
         * it would block.
         */
        OPEN_PLAIN,
        /** {@code close(fd)}. */
        CLOSE,
        /** {@code statx(fd, "", AT_EMPTY_PATH, mask in length, statx buffer at address)}. */
        STATX,
        /** {@code ftruncate(fd, offset)}. */
        TRUNCATE,
        /** {@code posix_fadvise(fd, offset, length in address, advice in flags)}. */
        FADVISE,
        /** {@code unlinkat(AT_FDCWD, path at address, 0)}. */
        UNLINK,
        /** Cancels {@link #target()}; created by the poller protocol, never by users. */
        CANCEL,
        /** Cancels every operation on {@link #handle()}; created by {@link FileHandle} close. */
        CANCEL_ALL
    }

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

    private final Kind kind;
    private final FileHandle handle;
    private final int fd;
    private final long address;
    private final int length;
    private final long offset;
    private final int flags;
    private final Operation target;

    /** The parked caller; written before the hand-off publishes this operation. */
    private Thread waiter;
    /** {@link #PENDING} or {@link #DONE}; released by the poller after {@link #result}. */
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;
    /** Valid once {@link #state} is {@link #DONE}. */
    private int result;
    /** Set instead of {@link #result} when the poller failed; valid once {@link #state} is DONE. */
    private IOException failure;
    /** With {@link #failure}: whether the kernel may have run the operation before the poller failed. */
    private boolean failedInKernel;

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

    private Operation(Kind kind, FileHandle handle, int fd, long address, int length, long offset, int flags,
                      Operation target) {
        this.kind = kind;
        this.handle = handle;
        this.fd = fd;
        this.address = address;
        this.length = length;
        this.offset = offset;
        this.flags = flags;
        this.target = target;
    }

    /**
     * An operation on an open descriptor: a transfer ({@link Kind#READ}, {@link Kind#WRITE},
     * {@link Kind#READV}, {@link Kind#WRITEV}) or a call on the file itself ({@link Kind#FSYNC},
     * {@link Kind#FDATASYNC}, {@link Kind#STATX}, {@link Kind#TRUNCATE}); each kind's javadoc says
     * what {@code address}, {@code length} and {@code offset} mean for it.
     */
    public static Operation onFile(Kind kind, FileHandle handle, long address, int length, long offset) {
        return new Operation(kind, handle, handle.fd(), address, length, offset, 0, null);
    }

    /** {@code posix_fadvise(fd, offset, length, advice)}; a length of 0 means "to the end of the file". */
    public static Operation advise(FileHandle handle, long offset, long length, int advice) {
        return new Operation(Kind.FADVISE, handle, handle.fd(), length, 0, offset, advice, null);
    }

    /**
     * {@code openat(AT_FDCWD, path, flags, mode)}; the path is a NUL-terminated string at {@code path}.
     *
     * @param plain whether the path is known to name a regular file, a directory or nothing
     *              ({@link Kind#OPEN_PLAIN}), rather than possibly a device ({@link Kind#OPEN})
     */
    public static Operation open(long path, int flags, int mode, boolean plain) {
        return new Operation(plain ? Kind.OPEN_PLAIN : Kind.OPEN, null, -1, path, mode, 0, flags, null);
    }

    /** {@code unlinkat(AT_FDCWD, path, 0)}. */
    public static Operation unlink(long path) {
        return new Operation(Kind.UNLINK, null, -1, path, 0, 0, 0, null);
    }

    /** {@code close(fd)}: not gated by a handle, since it is what a handle's close ends with. */
    public static Operation close(int fd) {
        return new Operation(Kind.CLOSE, null, fd, 0, 0, 0, 0, null);
    }

    static Operation cancel(Operation target) {
        return new Operation(Kind.CANCEL, target.handle, -1, 0, 0, 0, 0, target);
    }

    static Operation cancelAll(FileHandle handle) {
        return new Operation(Kind.CANCEL_ALL, handle, -1, 0, 0, 0, 0, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The handle this operation holds open, or {@code null} for open, unlink, close and cancel. */
    public FileHandle handle() {
        return handle;
    }

    public int fd() {
        return fd;
    }

    public long address() {
        return address;
    }

    public int length() {
        return length;
    }

    public long offset() {
        return offset;
    }

    public int flags() {
        return flags;
    }

    /** The operation a {@link Kind#CANCEL} cancels. */
    public Operation target() {
        return target;
    }

    /** Poller only: the target's {@code user_data} while it is in the driver. */
    public long targetUserData() {
        return target.userData;
    }

    /**
     * Whether an interrupted caller cancels this operation. Opens, closes and unlinks are not, as the
     * JDK's are not interruptible: a cancelled open would fail where the JDK's succeeds, and giving up
     * a close or an unlink half-way would leak a descriptor or leave a file behind.
     */
    boolean cancellable() {
        return kind != Kind.OPEN && kind != Kind.OPEN_PLAIN && kind != Kind.CLOSE && kind != Kind.UNLINK;
    }

    /** Whether a result (or a failure) is in. Acquires the state: the result may be read after. */
    public boolean isDone() {
        return (int) STATE.getAcquire(this) == DONE;
    }

    /**
     * The result: what the system call returned, or {@code -errno}.
     *
     * @throws IOException when the poller failed before the kernel answered
     * @throws IllegalStateException when the operation is not done
     */
    public int result() throws IOException {
        if (!isDone()) {
            throw new IllegalStateException("operation not done: " + kind);
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
    public boolean mayHaveRun() {
        return isDone() && (failure == null || failedInKernel);
    }

    /** Caller: records the thread to unpark. Must precede the hand-off. */
    void setWaiter(Thread thread) {
        waiter = thread;
    }

    /** Poller: stores the result, releases it, and wakes the caller. Called once. */
    void complete(int value) {
        result = value;
        // Release pairs with the caller's acquire in isDone(): the result is visible before DONE is.
        STATE.setRelease(this, DONE);
        LockSupport.unpark(waiter);
    }

    /**
     * Poller: fails the operation with {@code cause} instead of a result. Called once.
     *
     * @param inKernel whether the operation had been handed to the kernel, which may have run it
     */
    void fail(IOException cause, boolean inKernel) {
        failure = cause;
        failedInKernel = inKernel;
        STATE.setRelease(this, DONE); // pairs with isDone(), as in complete()
        LockSupport.unpark(waiter);
    }

    /**
     * Caller: parks until the operation is done. The first interrupt seen while waiting runs
     * {@code onInterrupt} (which asks for cancellation) if the operation is {@linkplain #cancellable()
     * cancellable}, and the wait goes on, because the memory the operation names stays in the
     * kernel's hands until its completion arrives.
     *
     * @return whether the thread was interrupted while waiting; its interrupt status is then set again
     */
    boolean awaitDone(Runnable onInterrupt) {
        boolean interrupted = false;
        while (!isDone()) {
            LockSupport.park(this);
            // Thread.interrupted() clears the status, so the next park blocks instead of spinning.
            if (Thread.interrupted() && !interrupted) {
                interrupted = true;
                if (cancellable()) {
                    onInterrupt.run();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return interrupted;
    }

    @Override
    public String toString() {
        return kind + "(fd=" + fd + ", length=" + length + ", offset=" + offset + ")";
    }
}
