package dev.ringpark.poller.threads;

import dev.ringpark.poller.Advise;
import dev.ringpark.poller.AwaitReady;
import dev.ringpark.poller.Cancel;
import dev.ringpark.poller.CancelAll;
import dev.ringpark.poller.Close;
import dev.ringpark.poller.CopyRange;
import dev.ringpark.poller.Errno;
import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.Nop;
import dev.ringpark.poller.Open;
import dev.ringpark.poller.Operation;
import dev.ringpark.poller.SendFile;
import dev.ringpark.poller.Splice;
import dev.ringpark.poller.Stat;
import dev.ringpark.poller.Sync;
import dev.ringpark.poller.Transfer;
import dev.ringpark.poller.Truncate;
import dev.ringpark.poller.Unlink;
import dev.ringpark.poller.VectoredTransfer;
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
 * which {@link #fire()} makes readable; so does an {@link AwaitReady}, the wait before a
 * {@link Splice}, which itself never waits for its pipe. Everything else (regular files, opens, {@code copy_file_range} and {@code sendfile} between files)
 * takes bounded time and runs as one uninterruptible call, as io_uring's workers run it.
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
    /** The file offsets a copy or splice hands the kernel, which moves them: this worker's, not the caller's. */
    private final MemorySegment sourceOffset = arena.allocate(JAVA_LONG);
    private final MemorySegment targetOffset = arena.allocate(JAVA_LONG);
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
        return switch (op) {
            case Transfer transfer -> (int) (isStream(op) ? transferOnStream(task, transfer.direction()) : transfer(op, 0));
            case VectoredTransfer transfer -> (int) (isStream(op) ? transferOnStream(task, transfer.direction())
                    : transfer(op, 0));
            case Sync sync -> LibC.fsync(callState, sync.handle().fd(), sync.dataOnly());
            case Open open -> LibC.openat(callState, OpenFlags.AT_FDCWD, MemorySegment.ofAddress(open.path()),
                    open.flags(), open.permissions());
            case Close close -> LibC.close(callState, close.fd());
            case Stat stat -> LibC.statx(callState, stat.handle().fd(), emptyPath, OpenFlags.AT_EMPTY_PATH, stat.mask(),
                    MemorySegment.ofAddress(stat.buffer()));
            case Truncate truncate -> LibC.ftruncate(callState, truncate.handle().fd(), truncate.length());
            case Advise advise -> LibC.posixFadvise(advise.handle().fd(), advise.offset(), advise.length(),
                    advise.advice());
            case Unlink unlink -> LibC.unlinkat(callState, OpenFlags.AT_FDCWD, MemorySegment.ofAddress(unlink.path()), 0);
            case Nop nop -> 0;
            case CopyRange copy -> (int) copyRange(copy);
            case SendFile send -> (int) sendFile(send);
            case Splice splice -> (int) splice(splice);
            case AwaitReady wait -> awaitReady(task, wait);
            case Cancel cancel -> throw new IllegalArgumentException("not a system call: " + cancel);
            case CancelAll cancelAll -> throw new IllegalArgumentException("not a system call: " + cancelAll);
        };
    }

    private static boolean isStream(Operation op) {
        return op.handle().ioMode() == FileHandle.IoMode.STREAM;
    }

    /**
     * One {@code preadv2}/{@code pwritev2} of a transfer, but for its first {@code done} bytes (only
     * ever non-zero for the rest of a stream's single-buffer write); offset -1 means the file
     * position, as for io_uring.
     */
    private long transfer(Operation op, long done) {
        return switch (op) {
            case Transfer transfer -> {
                Iovec.set(iovec, 0, transfer.address() + done, transfer.length() - done);
                yield readOrWrite(transfer.direction(), transfer.handle().fd(), iovec, 1, transfer.offset());
            }
            case VectoredTransfer transfer -> readOrWrite(transfer.direction(), transfer.handle().fd(),
                    MemorySegment.ofAddress(transfer.iovecs()), transfer.count(), transfer.offset());
            default -> throw new IllegalArgumentException("not a transfer: " + op);
        };
    }

    private long readOrWrite(Transfer.Direction direction, int fd, MemorySegment iovecs, int count, long offset) {
        return direction == Transfer.Direction.WRITE ? LibC.pwritev2(callState, fd, iovecs, count, offset, 0)
                : LibC.preadv2(callState, fd, iovecs, count, offset, 0);
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
    private long transferOnStream(PoolTask task, Transfer.Direction direction) {
        Operation op = task.operation();
        int fd = op.handle().fd();
        int nonBlocking = makeNonBlocking(fd);
        if (nonBlocking < 0) {
            return nonBlocking;
        }
        boolean write = direction == Transfer.Direction.WRITE;
        long done = 0;
        for (;;) {
            if (task.isCancelled()) {
                return done > 0 ? done : -Errno.ECANCELED;
            }
            if (!awaitReady(fd, write ? LibC.POLLOUT : LibC.POLLIN)) {
                continue; // the cancel eventfd fired, for this task or (harmlessly) an earlier one
            }
            long n = transfer(op, done);
            if (n == -Errno.EAGAIN || n == -Errno.EINTR) {
                continue;
            }
            if (n < 0) {
                return done > 0 ? done : n;
            }
            done += n;
            if (!(write && op instanceof Transfer single) || done == single.length()) {
                return done; // reads, and gathering writes, return what one call moved
            }
        }
    }

    private long copyRange(CopyRange copy) {
        sourceOffset.set(JAVA_LONG, 0, copy.sourceOffset());
        targetOffset.set(JAVA_LONG, 0, copy.targetOffset());
        return LibC.copyFileRange(callState, copy.source().fd(), sourceOffset, copy.target().fd(), targetOffset,
                copy.length());
    }

    private long sendFile(SendFile send) {
        sourceOffset.set(JAVA_LONG, 0, send.sourceOffset());
        return LibC.sendfile(callState, send.target().fd(), send.source().fd(), sourceOffset, send.length());
    }

    /**
     * One splice with {@code SPLICE_F_NONBLOCK}: {@code -EAGAIN} rather than a wait for the pipe end
     * (the file end takes bounded time). The flag touches only this call, so the descriptor stays as
     * io_uring needs it, should a kernel without {@code IORING_OP_SPLICE} send splices here.
     */
    private long splice(Splice splice) {
        if (splice.fromStream()) {
            targetOffset.set(JAVA_LONG, 0, splice.targetOffset());
            return LibC.splice(callState, splice.source().fd(), MemorySegment.NULL, splice.target().fd(), targetOffset,
                    splice.length(), LibC.SPLICE_F_NONBLOCK);
        }
        sourceOffset.set(JAVA_LONG, 0, splice.sourceOffset());
        return LibC.splice(callState, splice.source().fd(), sourceOffset, splice.target().fd(), MemorySegment.NULL,
                splice.length(), LibC.SPLICE_F_NONBLOCK);
    }

    /**
     * Waits in {@code poll} until the stream is ready (the events it has), or until cancelled
     * ({@code -ECANCELED}): the cancel eventfd wakes the wait.
     */
    private int awaitReady(PoolTask task, AwaitReady wait) {
        short events = wait.event() == AwaitReady.Event.READABLE ? LibC.POLLIN : LibC.POLLOUT;
        for (;;) {
            if (task.isCancelled()) {
                return -Errno.ECANCELED;
            }
            if (awaitReady(wait.handle().fd(), events)) {
                return Short.toUnsignedInt(PollFd.returnedEvents(pollFds, 0));
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
