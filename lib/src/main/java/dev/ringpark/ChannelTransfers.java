package dev.ringpark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.InterruptibleChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;

import static dev.ringpark.TransferChecks.ensureReadable;
import static dev.ringpark.TransferChecks.ensureWritable;

/**
 * A {@link PollerFileChannel}'s {@code transferTo} and {@code transferFrom}, step for step as the
 * JDK 25's {@code FileChannelImpl}: its checks in its order (the other channel's too, when it is
 * Ringpark's or the JDK's own file channel), its bounds, its choice between handing the work to the
 * kernel and copying, and its answers to a close or an interrupt under way.
 *
 * <p>Between two of Ringpark's channels the kernel moves the bytes ({@link KernelTransfers}). A
 * channel of the JDK at the other end (a {@code SocketChannel}, a pipe, the JDK's own
 * {@code FileChannel}) keeps its descriptor private, which only the JDK's internals could reach: those
 * are copied through one pooled native buffer, as the JDK copies to and from channels it cannot hand
 * to the kernel, and with the counts the JDK's choice would give (for a selectable channel, at most
 * one mapping's worth, as the JDK writes it one mapped buffer).
 *
 * <p>A copy that an exception ends after some bytes moved returns their count, as the JDK's copy
 * loops do; the channel whose call saw an interrupt is then closed and the interrupt status stays
 * set. A transfer that an interrupt or a close ends before a byte moved closes both channels and
 * throws {@link ClosedByInterruptException}, or throws {@link AsynchronousCloseException}, as the
 * JDK's {@code transferFailed}.
 */
final class ChannelTransfers {
    /** The most one transfer to a channel of ours moves: the JDK's {@code maxDirectTransferSize}, the kernel's {@code MAX_RW_COUNT}. */
    static final int MAX_DIRECT_BYTES = 0x7ffff000;
    /** From this count on the JDK maps the file, and writes a selectable target one mapping. */
    static final long MAPPED_TRANSFER_THRESHOLD = 16 * 1024;
    /** The JDK's mapping: what it writes to a selectable channel in one transfer. */
    static final long MAPPED_TRANSFER_BYTES = 8L << 20;
    /** The buffer of a copy through memory. */
    static final int CHUNK_BYTES = 256 * 1024;

    private final TransferEnd self;
    private final KernelTransfers kernel;

    ChannelTransfers(TransferEnd self) {
        this.self = self;
        this.kernel = new KernelTransfers(self);
    }

    /** {@link FileChannel#transferTo}: this channel's position does not move. */
    long to(long position, long count, WritableByteChannel target) throws IOException {
        ensureOpen();
        if (!Objects.requireNonNull(target, "target").isOpen()) {
            throw new ClosedChannelException();
        }
        ensureReadable(self.readable());
        PeerChecks.ensureWritable(target);
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException();
        }
        self.gate().closeBothIfInterrupted(target); // the JDK's size() would see the interrupt
        try {
            long size = self.channel().size();
            if (position > size) {
                return 0;
            }
            long wanted = count;
            if (size > 0) { // files that say 0 (those of /proc) are copied, to their real end
                wanted = Math.min(count, size - position);
                if (target instanceof PollerFileChannel ring) {
                    long n = kernel.to(position, (int) Math.min(wanted, MAX_DIRECT_BYTES), ring.end());
                    if (n != KernelTransfers.UNSUPPORTED) {
                        return n;
                    }
                }
                if (wanted >= MAPPED_TRANSFER_THRESHOLD && target instanceof SelectableChannel
                        && !(target instanceof SocketChannel)) {
                    wanted = Math.min(wanted, MAPPED_TRANSFER_BYTES);
                }
            }
            return copyTo(position, wanted, target);
        } catch (ClosedChannelException e) {
            throw transferFailed(e, target);
        }
    }

    /** {@link FileChannel#transferFrom}: this channel's position does not move; a file source's does. */
    long from(ReadableByteChannel src, long position, long count) throws IOException {
        ensureOpen();
        if (!Objects.requireNonNull(src, "src").isOpen()) {
            throw new ClosedChannelException();
        }
        PeerChecks.ensureReadable(src);
        ensureWritable(self.writable());
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException();
        }
        // The JDK's first call of an interrupted transfer, the source's size() or read(), sees the interrupt
        // (a copy of nothing from another kind of channel makes none); closing either closes both.
        if ((src instanceof FileChannel || count > 0) && Thread.currentThread().isInterrupted()) {
            switch (self.interrupts() != InterruptPolicy.IGNORE ? self.interrupts() : interruptsOf(src)) {
                case CLOSE_CHANNEL -> throw self.gate().closeBoth(new ClosedByInterruptException(), src);
                case CANCEL_CALL -> throw InterruptPolicy.interrupted();
                case IGNORE -> { }
            }
        }
        try {
            if (src instanceof PollerFileChannel ring) {
                long n = kernel.from(ring.end(), position, count);
                if (n != KernelTransfers.UNSUPPORTED) {
                    return n;
                }
            }
            return copyFrom(src, position, count);
        } catch (ClosedChannelException e) {
            throw transferFailed(e, src);
        }
    }

    /** What an interrupt does to a call of {@code channel}'s: the JDK's interruptible channels close. */
    private static InterruptPolicy interruptsOf(Channel channel) {
        return channel instanceof PollerFileChannel ring ? ring.end().interrupts()
                : channel instanceof InterruptibleChannel ? InterruptPolicy.CLOSE_CHANNEL : InterruptPolicy.IGNORE;
    }

    /**
     * Reads this channel's file at {@code position} and writes {@code target}, a chunk at a time, until
     * {@code count} bytes, the end of the file, or a short write: the JDK's
     * {@code transferToArbitraryChannel}, each read a call of its own through the gate.
     */
    private long copyTo(long position, long count, WritableByteChannel target) throws IOException {
        if (count == 0) {
            return 0;
        }
        long total = 0;
        try (Lease lease = Lease.of(Math.min(count, CHUNK_BYTES))) {
            ByteBuffer view = lease.segment().asByteBuffer();
            while (total < count) {
                int chunk = (int) Math.min(count - total, view.capacity());
                int read = read(lease, chunk, position + total);
                if (read <= 0) {
                    break;
                }
                int written = target.write(view.clear().limit(read));
                total += written;
                if (written != read) {
                    break;
                }
            }
            return total;
        } catch (IOException e) {
            if (total > 0) {
                return total;
            }
            throw e;
        }
    }

    /**
     * Reads {@code src} and writes this channel's file at {@code position}, a chunk at a time, until
     * {@code count} bytes, the end of the source (or a read of nothing), or a short write: the JDK's
     * {@code transferFromArbitraryChannel}, each write a call of its own through the gate.
     */
    private long copyFrom(ReadableByteChannel src, long position, long count) throws IOException {
        if (count == 0) {
            return 0;
        }
        long total = 0;
        try (Lease lease = Lease.of(Math.min(count, CHUNK_BYTES))) {
            ByteBuffer view = lease.segment().asByteBuffer();
            while (total < count) {
                int chunk = (int) Math.min(count - total, view.capacity());
                int read = src.read(view.clear().limit(chunk));
                if (read <= 0) {
                    break;
                }
                int written = write(lease, read, position + total);
                total += written;
                if (written != read) {
                    break;
                }
            }
            return total;
        } catch (IOException e) {
            if (total > 0) {
                return total;
            }
            throw e;
        }
    }

    /** One read of this channel's file into the lease, as one call: 0 at the end of the file. */
    private int read(Lease lease, int length, long position) throws IOException {
        self.gate().enter();
        try {
            return self.bytes().readNative(lease.address(), length, position, lease, Deadline.NONE);
        } finally {
            self.gate().exit();
        }
    }

    /** One write of the lease into this channel's file, as one call. */
    private int write(Lease lease, int length, long position) throws IOException {
        self.gate().enter();
        try {
            return self.bytes().writeNative(lease.address(), length, position, lease, Deadline.NONE);
        } finally {
            self.gate().exit();
        }
    }

    /**
     * The JDK's {@code transferFailed}: a transfer a closed channel ended. An interrupt closes both
     * channels ({@link ClosedByInterruptException}); otherwise one of them was closed under it
     * ({@link AsynchronousCloseException}).
     */
    private IOException transferFailed(ClosedChannelException closed, Channel other) {
        ClosedByInterruptException interruption = null;
        if (closed instanceof ClosedByInterruptException e) {
            interruption = e;
        } else if (self.interrupts() == InterruptPolicy.CLOSE_CHANNEL && Thread.currentThread().isInterrupted()) {
            interruption = new ClosedByInterruptException();
        }
        if (interruption != null) {
            return self.gate().closeBoth(interruption, other);
        }
        if (closed instanceof AsynchronousCloseException asynchronous) {
            return asynchronous;
        }
        AsynchronousCloseException asynchronous = new AsynchronousCloseException();
        asynchronous.addSuppressed(closed);
        return asynchronous;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!self.channel().isOpen()) {
            throw new ClosedChannelException();
        }
    }
}
