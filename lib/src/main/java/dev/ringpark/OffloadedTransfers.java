package dev.ringpark;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.InterruptibleChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * An {@link OffloadedFileChannel}'s {@code transferTo} and {@code transferFrom}: the JDK's own, made
 * on a pool thread, with a peer that is offloaded too handed over as the JDK's channel inside it, so
 * that the JDK sees its own file channel at both ends (its checks of the peer, its
 * {@code copy_file_range}) instead of an unknown channel it would copy through a heap buffer.
 *
 * <p>The JDK's checks are made on the caller first, in its order: made on the pool thread, a closed
 * peer's {@link ClosedChannelException} would look like an asynchronous close of this channel.
 *
 * <p>An interrupt while the pool thread works ends the JDK's call where the JDK's caller would have
 * seen it: in the peer's read or write when the JDK copies through memory (closing the peer, as the
 * JDK's call into it would), after which the bytes it moved are returned, as the JDK's copy loop
 * returns them; in this channel when the JDK hands the copy to the kernel, after which both channels
 * are closed and {@link ClosedByInterruptException} is thrown. Under
 * {@link RingOpenOption#INTERRUPT_CANCELS_CALL} too, as for {@code map} and {@code lock}: the JDK
 * has no way to stop its transfer without closing a channel; only a caller interrupted before the
 * transfer gets {@link java.io.InterruptedIOException}, with nothing closed.
 */
final class OffloadedTransfers {
    private final OffloadedFileChannel owner;
    private final FileChannel channel;
    private final ExecutorService pool;

    /** @param channel the JDK's channel inside {@code owner} */
    OffloadedTransfers(OffloadedFileChannel owner, FileChannel channel, ExecutorService pool) {
        this.owner = owner;
        this.channel = channel;
        this.pool = pool;
    }

    long to(long position, long count, WritableByteChannel target) throws IOException {
        WritableByteChannel peer = target instanceof OffloadedFileChannel offloaded ? offloaded.jdkChannel() : target;
        ensureOpen();
        if (!Objects.requireNonNull(target, "target").isOpen()) {
            throw new ClosedChannelException();
        }
        PeerChecks.ensureReadable(channel);
        PeerChecks.ensureWritable(peer);
        checkRange(position, count);
        return transfer(target, peer, () -> channel.transferTo(position, count, peer));
    }

    long from(ReadableByteChannel src, long position, long count) throws IOException {
        ReadableByteChannel peer = src instanceof OffloadedFileChannel offloaded ? offloaded.jdkChannel() : src;
        ensureOpen();
        if (!Objects.requireNonNull(src, "src").isOpen()) {
            throw new ClosedChannelException();
        }
        PeerChecks.ensureReadable(peer);
        PeerChecks.ensureWritable(channel);
        checkRange(position, count);
        return transfer(src, peer, () -> channel.transferFrom(peer, position, count));
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
    }

    private static void checkRange(long position, long count) {
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException();
        }
    }

    /**
     * Runs the JDK's transfer with {@code given} (as the caller gave it; {@code peer} is what the JDK
     * sees) at the other end.
     */
    private long transfer(Channel given, Channel peer, Callable<Long> call) throws IOException {
        if (owner.interrupts() == InterruptPolicy.IGNORE) {
            return PlatformThreads.awaitUninterruptibly(pool.submit(call));
        }
        if (Thread.currentThread().isInterrupted()) {
            if (owner.interrupts() == InterruptPolicy.CANCEL_CALL) {
                throw InterruptPolicy.interrupted(); // before any I/O, as every call under the option
            }
            // The JDK's own outcome: its first blocking call sees the interrupt and closes, on this thread.
            try {
                return call.call();
            } catch (ClosedByInterruptException e) {
                throw closeBoth(e, given);
            } catch (Exception e) {
                throw PlatformThreads.rethrow(e);
            }
        }
        boolean copyLoop = !(peer instanceof FileChannel); // the JDK copies through memory, and returns what moved
        boolean wasOpen = owner.isOpen();
        Future<Long> future = pool.submit(call);
        boolean interrupted = false;
        for (;;) {
            try {
                long moved = future.get();
                if (!interrupted) {
                    return moved;
                }
                Thread.currentThread().interrupt();
                if (copyLoop && moved > 0) {
                    return moved;
                }
                throw closeBoth(new ClosedByInterruptException(), given);
            } catch (InterruptedException e) {
                if (!interrupted) {
                    interrupted = true;
                    closeQuietly(copyLoop && given instanceof InterruptibleChannel ? given : owner);
                }
            } catch (ExecutionException e) {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                    throw closeBoth(new ClosedByInterruptException(), given);
                }
                if (wasOpen && e.getCause().getClass() == ClosedChannelException.class) {
                    throw new AsynchronousCloseException(); // this channel closed while the call waited for a thread
                }
                throw PlatformThreads.rethrow(e.getCause());
            }
        }
    }

    /** The JDK's {@code transferFailed} after an interrupt: both channels closed. */
    private ClosedByInterruptException closeBoth(ClosedByInterruptException interruption, Channel other) {
        for (Channel each : new Channel[] {owner, other}) {
            try {
                each.close();
            } catch (IOException suppressed) {
                interruption.addSuppressed(suppressed);
            }
        }
        return interruption;
    }

    private static void closeQuietly(Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closed as far as its users can tell
        }
    }
}
