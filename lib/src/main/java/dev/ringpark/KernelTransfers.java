package dev.ringpark;

import dev.ringpark.poller.AwaitReady;
import dev.ringpark.poller.CopyRange;
import dev.ringpark.poller.Errno;
import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.FileType;
import dev.ringpark.poller.KernelCopy;
import dev.ringpark.poller.Operation;
import dev.ringpark.poller.SendFile;
import dev.ringpark.poller.Splice;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedByInterruptException;

/**
 * Transfers between two of Ringpark's channels that the kernel makes without the bytes passing
 * through memory of ours, where the JDK's {@code FileChannelImpl} hands the same pair to the kernel:
 * <ul>
 *   <li>{@code transferTo} a file: {@code copy_file_range} from this channel's file at the position
 *       given to the target at its file position, which moves past the bytes; {@code sendfile} when
 *       {@code copy_file_range} refuses the pair ({@code EXDEV} between two file systems,
 *       {@code EINVAL} for a device), as the JDK's {@code transferTo0};</li>
 *   <li>{@code transferTo} a FIFO: one {@code splice} into it, which moves at most what the pipe has
 *       room for, as the JDK's {@code sendfile} into a pipe does (a full pipe is waited for first);</li>
 *   <li>{@code transferFrom} a file: {@code copy_file_range} from the source at its file position,
 *       which moves past the bytes, to this channel's file at the position given;</li>
 *   <li>{@code transferFrom} a FIFO: {@code splice} after {@code splice} until the count or the end of
 *       the stream, which is what the JDK's copy loop returns for a source whose size is 0.</li>
 * </ul>
 * A splice never waits for its pipe: where it would, the pipe is waited for with
 * {@link AwaitReady} ({@code poll}), which on io_uring holds no worker thread, and the splice made
 * again.
 * Everything else, and a pair the kernel refuses, is answered {@link #UNSUPPORTED}: the caller then
 * copies through memory, as the JDK does. Both channels must run on one poller, since a close of
 * either must reach the operation to cancel it.
 *
 * <p>A copy goes in pieces of at most {@link #PIECE_BYTES}, each one operation: the count is the same
 * as one system call's (the pieces end where one call would, at the end of the source or at the first
 * short or failed piece), while a close or an interrupt waits for one piece at most. As the JDK's
 * one call, a copy the caller's interrupt ends throws {@link ClosedByInterruptException} and closes
 * both channels (the caller's {@code transferFailed}), and one a close ends after some bytes moved
 * returns their count; the exception is the splice loop, which follows the JDK's copy loop. Under
 * {@link RingOpenOption#INTERRUPT_CANCELS_CALL} an interrupt cancels the piece in flight and closes
 * nothing: the transfer returns what moved, or throws {@link java.io.InterruptedIOException}.
 */
final class KernelTransfers {
    /** The answer when the kernel does not take this pair: copy through memory instead. */
    static final long UNSUPPORTED = -1;
    /**
     * The most bytes one operation copies: what a close or an interrupt waits for at most. A piece of
     * {@code copy_file_range} on this machine's disk takes a few milliseconds; a hand-off tens of
     * microseconds.
     */
    static final int PIECE_BYTES = 8 << 20;

    /** The channel whose method was called. */
    private final TransferEnd self;

    KernelTransfers(TransferEnd self) {
        this.self = self;
    }

    /** A copy's body, run while both channels are entered. */
    @FunctionalInterface
    private interface Body {
        long run() throws IOException;
    }

    /**
     * {@code transferTo}'s kernel copy of {@code count} bytes (at most the JDK's direct transfer size)
     * at {@code position}, or {@link #UNSUPPORTED}.
     */
    long to(long position, int count, TransferEnd target) throws IOException {
        FileHandle out = target.handle();
        if (target.poller() != self.poller() || target.append()) {
            return UNSUPPORTED; // the JDK's copy_file_range and sendfile refuse an appending target
        }
        if (out.type() == FileType.FIFO) {
            return spliceTo(position, count, target);
        }
        if (out.ioMode() == FileHandle.IoMode.STREAM) {
            return UNSUPPORTED; // a terminal: the copy loop waits for it, cancellably
        }
        target.positionLock().lock();
        try {
            return both(target, () -> {
                long at = target.calls().position();
                target.calls().syncPosition(); // sendfile, if copy_file_range is refused, writes at the offset
                long moved = copyPieces(self, position, target, at, count, true);
                if (moved > 0) {
                    target.calls().setPosition(at + moved);
                }
                return moved;
            });
        } finally {
            target.positionLock().unlock();
        }
    }

    /** {@code transferFrom}'s kernel copy from {@code source} to {@code position}, or {@link #UNSUPPORTED}. */
    long from(TransferEnd source, long position, long count) throws IOException {
        FileHandle out = self.handle();
        if (source.poller() != self.poller() || self.append() || out.ioMode() == FileHandle.IoMode.STREAM) {
            return UNSUPPORTED;
        }
        if (source.handle().type() == FileType.FIFO) {
            boolean spliceable = out.type() == FileType.REGULAR && out.ioMode() == FileHandle.IoMode.BUFFERED;
            return spliceable ? spliceFrom(source, position, count) : UNSUPPORTED;
        }
        if (source.channel().size() <= 0) {
            return UNSUPPORTED; // the JDK copies files of size 0 (those of /proc) through memory
        }
        int wanted = (int) Math.min(count, ChannelTransfers.MAX_DIRECT_BYTES); // the kernel's MAX_RW_COUNT
        source.positionLock().lock();
        try {
            return both(source, () -> {
                long at = source.calls().position();
                long moved = copyPieces(source, at, self, position, wanted, false);
                if (moved > 0) {
                    source.calls().setPosition(at + moved);
                }
                return moved;
            });
        } finally {
            source.positionLock().unlock();
        }
    }

    /**
     * Runs {@code body} with this channel entered through its gate (an interrupt while inside closes it
     * and throws {@link ClosedByInterruptException}, as the JDK's {@code endBlocking}) and the other
     * end's descriptor held open.
     */
    private long both(TransferEnd other, Body body) throws IOException {
        self.gate().enter();
        try {
            other.enter();
            try {
                return body.run();
            } finally {
                other.exit();
            }
        } finally {
            self.gate().exit();
        }
    }

    /**
     * {@code copy_file_range} of up to {@code count} bytes, a piece at a time; with {@code orSendFile},
     * {@code sendfile} to the target's file position (which must be {@code targetAt}) when
     * {@code copy_file_range} refuses the pair at once. Stops at a short piece, a failed one (whose
     * failure is thrown only when nothing moved), and an interrupt.
     *
     * @return the bytes moved, or {@link #UNSUPPORTED} when the kernel refuses the pair
     */
    private long copyPieces(TransferEnd source, long sourceAt, TransferEnd target, long targetAt, int count,
                            boolean orSendFile) throws IOException {
        boolean sending = false;
        long moved = 0;
        while (moved < count) {
            int piece = (int) Math.min(count - moved, PIECE_BYTES);
            KernelCopy copy = sending ? new SendFile(source.handle(), sourceAt + moved, target.handle(), piece)
                    : new CopyRange(source.handle(), sourceAt + moved, target.handle(), targetAt + moved, piece);
            int n = execute(copy);
            if (n < 0 && moved == 0 && refused(-n, sending, orSendFile)) {
                if (!orSendFile || sending) {
                    return UNSUPPORTED;
                }
                sending = true;
                continue;
            }
            if (n < 0) {
                if (moved > 0) {
                    break; // a failure after a part: that part, as one call the kernel cut short
                }
                throw failure(n, source == self ? target : source);
            }
            moved += n;
            if (n < piece || interrupted()) {
                break;
            }
        }
        return moved;
    }

    /**
     * Whether {@code errno} says the kernel does not take this pair, where the JDK's
     * {@code transferTo0} goes on to {@code sendfile} (and from there, on {@code EINVAL}, to copying)
     * and its {@code transferFrom0} to copying.
     */
    private static boolean refused(int errno, boolean sending, boolean transferTo) {
        if (sending) {
            return errno == Errno.EINVAL;
        }
        return errno == Errno.EINVAL || errno == Errno.ENOSYS || errno == Errno.EXDEV || errno == Errno.EOPNOTSUPP
                || !transferTo && errno == Errno.EBADF;
    }

    /** One {@code splice} of this channel's file into the target FIFO. */
    private long spliceTo(long position, int count, TransferEnd target) throws IOException {
        if (count == 0) {
            return 0;
        }
        target.positionLock().lock();
        try {
            return both(target, () -> {
                int n = execute(new Splice(self.handle(), position, target.handle(), Splice.STREAM, count));
                while (n == -Errno.EAGAIN) { // no room: wait for some, then splice again
                    int ready = execute(new AwaitReady(target.handle(), AwaitReady.Event.WRITABLE, self.handle()));
                    n = ready < 0 ? ready : execute(new Splice(self.handle(), position, target.handle(), Splice.STREAM,
                            count));
                }
                if (n == -Errno.EINVAL) {
                    return UNSUPPORTED; // a file the kernel cannot splice from
                }
                if (n < 0) {
                    throw failure(n, target);
                }
                return n;
            });
        } finally {
            target.positionLock().unlock();
        }
    }

    /**
     * Splices from the source FIFO into this channel's file at {@code position} until {@code count}
     * bytes or the end of the stream, as the JDK's copy loop reads a source of size 0. An interrupt is
     * seen where that loop would see it: in the read of the source if the source is interruptible
     * (which cancels the waiting splice and closes the source), else in the write of this channel. It
     * then ends the transfer: with the bytes moved so far when there are any, as the JDK's loop
     * returns them, else with {@link ClosedByInterruptException}, on which the caller closes both.
     */
    private long spliceFrom(TransferEnd source, long position, long count) throws IOException {
        if (count == 0) {
            return 0;
        }
        boolean sourceSeesInterrupt = source.interrupts().cancelsOperations();
        boolean someoneSeesInterrupt = sourceSeesInterrupt || self.interrupts().cancelsOperations();
        long moved = 0;
        int last = 0;
        source.positionLock().lock();
        try {
            self.enter();
            try {
                source.enter();
                try {
                    while (moved < count) {
                        int piece = (int) Math.min(count - moved, PIECE_BYTES);
                        int n = self.poller().execute(new Splice(source.handle(), Splice.STREAM, self.handle(),
                                position + moved, piece), sourceSeesInterrupt);
                        if (n == -Errno.EAGAIN) { // nothing in the pipe yet: wait for it, then splice again
                            int ready = self.poller().execute(new AwaitReady(source.handle(),
                                    AwaitReady.Event.READABLE, self.handle()), sourceSeesInterrupt);
                            if (ready < 0 || someoneSeesInterrupt && Thread.currentThread().isInterrupted()) {
                                last = Math.min(ready, 0);
                                break;
                            }
                            continue;
                        }
                        last = n;
                        if (n > 0) {
                            moved += n;
                        }
                        if (n <= 0 || someoneSeesInterrupt && Thread.currentThread().isInterrupted()) {
                            break;
                        }
                    }
                } finally {
                    source.exit();
                }
            } finally {
                self.exit();
            }
        } finally {
            source.positionLock().unlock();
        }
        if (someoneSeesInterrupt && Thread.currentThread().isInterrupted()) {
            TransferEnd saw = sourceSeesInterrupt ? source : self;
            boolean closes = saw.interrupts() == InterruptPolicy.CLOSE_CHANNEL;
            if (closes) {
                closeQuietly(saw.channel());
            }
            if (moved > 0) {
                return moved;
            }
            throw closes ? new ClosedByInterruptException() : InterruptPolicy.interrupted();
        }
        if (last < 0 && moved == 0) {
            throw failure(last, source);
        }
        return moved;
    }

    /** Runs one of this transfer's operations, cancelled by an interrupt unless this channel ignores them. */
    private int execute(Operation operation) throws IOException {
        return self.poller().execute(operation, self.interrupts().cancelsOperations());
    }

    private boolean interrupted() {
        return self.interrupts().cancelsOperations() && Thread.currentThread().isInterrupted();
    }

    /**
     * A failed copy's exception. A cancelled one says which stopped it, in the JDK's order: an interrupt
     * of a channel whose interrupts cancel calls only ({@link java.io.InterruptedIOException}; one that
     * closes the channel is thrown by the gate's exit), else a close of either end
     * ({@link AsynchronousCloseException}).
     */
    private IOException failure(int result, TransferEnd other) {
        if (result == -Errno.ECANCELED) {
            if (self.interrupts() == InterruptPolicy.CANCEL_CALL && Thread.currentThread().isInterrupted()) {
                return InterruptPolicy.interrupted();
            }
            if (self.handle().isClosing() || other.handle().isClosing()) {
                return new AsynchronousCloseException();
            }
        }
        return IoExceptions.forChannel(-result);
    }

    /** A close made by an interrupt, whose failures the JDK's interruptor ignores too. */
    private static void closeQuietly(Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the channel is closed as far as its users can tell
        }
    }
}
