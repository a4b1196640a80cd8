package dev.ringpark.poller.threads;

import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.Operation;
import dev.ringpark.poller.linux.Errno;
import dev.ringpark.poller.linux.Iovec;
import dev.ringpark.poller.linux.LibC;
import dev.ringpark.poller.linux.OpenFlags;
import dev.ringpark.poller.linux.PollFd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Runs operations as plain blocking system calls on the calling platform thread: one per pool
 * worker, with the native scratch memory those calls need.
 *
 * <p>Transfers on a {@linkplain FileHandle.IoMode#STREAM stream} (a pipe with no writer, say) may
 * wait for ever, so they wait in {@code poll} instead, together with this worker's cancel eventfd,
 * which {@link #fire()} makes readable. Everything else (regular files, opens) takes bounded time
 * and runs as one uninterruptible call, as io_uring's workers run it.
 */
final class BlockingSyscalls implements PoolTask.CancelSignal, AutoCloseable {
    private static final int CANCEL_FD_INDEX = 1;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment callState = LibC.allocateCallState(arena);
    private final MemorySegment iovec = arena.allocate(Iovec.BYTES, 8);
    private final MemorySegment pollFds = arena.allocate(2 * PollFd.BYTES, 8);
    private final MemorySegment eventfdValue = arena.allocate(JAVA_LONG);
    private final MemorySegment one = arena.allocate(JAVA_LONG);
    private final MemorySegment emptyPath = arena.allocate(1);
    private final int cancelFd;

    /** @throws IllegalStateException when the cancel eventfd cannot be created */
    BlockingSyscalls() {
        one.set(JAVA_LONG, 0, 1L);
        cancelFd = LibC.eventfd(callState, 0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (cancelFd < 0) {
            arena.close();
            throw new IllegalStateException("eventfd failed: " + Errno.describe(-cancelFd));
        }
    }

    /** Runs {@code task}'s operation: what the system call returned, or {@code -errno}. */
    int run(PoolTask task) {
        Operation op = task.operation();
        int fd = op.fd();
        return switch (op.kind()) {
            case READ, WRITE, READV, WRITEV -> op.handle() != null && op.handle().ioMode() == FileHandle.IoMode.STREAM
                    ? (int) transferOnStream(task) : (int) transfer(op);
            case FSYNC -> LibC.fsync(callState, fd, false);
            case FDATASYNC -> LibC.fsync(callState, fd, true);
            case OPEN, OPEN_PLAIN -> LibC.openat(callState, OpenFlags.AT_FDCWD, MemorySegment.ofAddress(op.address()), op.flags(),
                    op.length());
            case CLOSE -> LibC.close(callState, fd);
            case STATX -> LibC.statx(callState, fd, emptyPath, OpenFlags.AT_EMPTY_PATH, op.length(),
                    MemorySegment.ofAddress(op.address()));
            case TRUNCATE -> LibC.ftruncate(callState, fd, op.offset());
            case FADVISE -> LibC.posixFadvise(fd, op.offset(), op.address(), op.flags());
            case UNLINK -> LibC.unlinkat(callState, OpenFlags.AT_FDCWD, MemorySegment.ofAddress(op.address()), 0);
            case CANCEL, CANCEL_ALL -> throw new IllegalArgumentException("not a system call: " + op.kind());
        };
    }

    /** One {@code preadv2}/{@code pwritev2}; offset -1 means the file position, as for io_uring. */
    private long transfer(Operation op) {
        MemorySegment iovecs;
        int count;
        if (op.kind() == Operation.Kind.READ || op.kind() == Operation.Kind.WRITE) {
            Iovec.set(iovec, 0, op.address(), op.length());
            iovecs = iovec;
            count = 1;
        } else {
            iovecs = MemorySegment.ofAddress(op.address());
            count = op.length();
        }
        boolean write = writes(op);
        return write ? LibC.pwritev2(callState, op.fd(), iovecs, count, op.offset(), 0)
                : LibC.preadv2(callState, op.fd(), iovecs, count, op.offset(), 0);
    }

    /** Whether {@code op} moves bytes to the file rather than from it. */
    private static boolean writes(Operation op) {
        return op.kind() == Operation.Kind.WRITE || op.kind() == Operation.Kind.WRITEV;
    }

    /**
     * A transfer on a stream that gives up when cancelled: it waits in {@code poll} until the stream
     * is ready (or the cancel eventfd fires), then moves what it can without waiting. A read returns
     * as soon as it has bytes, a write once all are written, as the blocking calls do; a cancelled
     * write reports the bytes it got through, if any.
     *
     * <p>Without waiting: the descriptor is made non-blocking ({@code O_NONBLOCK}) first, so that a
     * transfer that finds the stream no longer ready answers {@code EAGAIN} and goes back to
     * {@code poll}. Readiness alone is not enough: a second reader of the same FIFO can empty it
     * between {@code poll} and {@code read}, which would then wait for data with no way to cancel it
     * ({@code RWF_NOWAIT} would do per call, but FIFOs refuse it with {@code EOPNOTSUPP}). The flag
     * belongs to the channel's own open file description; the io_uring driver, which would answer
     * {@code EAGAIN} under it too, never runs this.
     */
    private long transferOnStream(PoolTask task) {
        Operation op = task.operation();
        int nonBlocking = makeNonBlocking(op.fd());
        if (nonBlocking < 0) {
            return nonBlocking;
        }
        boolean write = writes(op);
        long done = 0;
        for (;;) {
            if (task.isCancelled()) {
                return done > 0 ? done : -Errno.ECANCELED;
            }
            if (!awaitReady(op.fd(), write ? LibC.POLLOUT : LibC.POLLIN)) {
                continue; // the cancel eventfd fired, for this task or (harmlessly) an earlier one
            }
            long n = transferRest(op, done);
            if (n == -Errno.EAGAIN || n == -Errno.EINTR) {
                continue;
            }
            if (n < 0) {
                return done > 0 ? done : n;
            }
            done += n;
            if (op.kind() != Operation.Kind.WRITE || done == op.length()) {
                return done; // reads, and gathering writes, return what one call moved
            }
        }
    }

    /** Sets {@code O_NONBLOCK} on {@code fd} unless it is set already: 0, or {@code -errno}. */
    private int makeNonBlocking(int fd) {
        int flags = LibC.fcntl(callState, fd, LibC.F_GETFL, 0);
        if (flags < 0 || (flags & OpenFlags.O_NONBLOCK) != 0) {
            return Math.min(flags, 0);
        }
        return LibC.fcntl(callState, fd, LibC.F_SETFL, flags | OpenFlags.O_NONBLOCK);
    }

    /** The transfer, {@code done} bytes into a single-buffer write. */
    private long transferRest(Operation op, long done) {
        if (op.kind() != Operation.Kind.WRITE) {
            return transfer(op);
        }
        Iovec.set(iovec, 0, op.address() + done, op.length() - done);
        return LibC.pwritev2(callState, op.fd(), iovec, 1, -1, 0);
    }

    /**
     * Waits until {@code fd} has {@code events} (or a hang-up or error, which the transfer then
     * reports), or until this worker's cancel eventfd fires, which it then clears.
     *
     * @return whether {@code fd} is ready
     */
    private boolean awaitReady(int fd, short events) {
        PollFd.set(pollFds, 0, fd, events);
        PollFd.set(pollFds, CANCEL_FD_INDEX, cancelFd, LibC.POLLIN);
        int rc = LibC.poll(callState, pollFds, 2, -1);
        if (rc <= 0) {
            return false; // EINTR; nothing else can fail with valid arguments
        }
        if (PollFd.returnedEvents(pollFds, CANCEL_FD_INDEX) != 0) {
            LibC.read(callState, cancelFd, eventfdValue, 8);
        }
        return PollFd.returnedEvents(pollFds, 0) != 0;
    }

    @Override
    public void fire() {
        LibC.signalEventfd(cancelFd, one);
    }

    @Override
    public void close() {
        LibC.close(callState, cancelFd);
        arena.close();
    }
}
