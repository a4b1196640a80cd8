package dev.ringpark;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLockInterruptionException;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A JDK {@code FileChannel} on the same open file, reopened through {@code /proc/self/fd}, for the
 * calls Ringpark does not do itself yet ({@code map}, {@code lock}, {@code tryLock}). Opened on first
 * use with the owning channel's access; closed with it, which releases its locks.
 *
 * <p>The JDK's channel closes itself when a call of an interrupted thread would block; {@link #call}
 * makes the owner follow its own rule for interrupts instead.
 *
 * <p>It is opened through the JDK's own provider ({@link PlatformFileSystem}), not
 * {@code FileChannel.open}: with {@link RingFileSystemProvider} as the default provider that would
 * open another Ringpark channel, whose companion would open another, until the stack overflowed.
 */
final class JdkCompanion {
    private final int fd;
    private final boolean readable;
    private final boolean writable;
    private final ReentrantLock lock = new ReentrantLock();
    private FileChannel channel;
    private boolean closed;

    JdkCompanion(int fd, boolean readable, boolean writable) {
        this.fd = fd;
        this.readable = readable;
        this.writable = writable;
    }

    /** A call of the JDK's channel. */
    @FunctionalInterface
    interface Call<T> {
        T on(FileChannel channel) throws IOException;
    }

    /**
     * Makes {@code call} on the JDK's channel as the owner, whose calls pass {@code gate}, treats
     * interrupts. For an owner whose interrupts cancel calls, an interrupt that closed the JDK's channel
     * closes the owner too, under {@link RingOpenOption#INTERRUPT_CANCELS_CALL} as well (the JDK's
     * channel cannot stop a call without closing; reopening it would drop its locks). For one that ignores interrupts (behind a stream, as the JDK's channel of
     * {@code Files.newInputStream} is), the call is made with the interrupt status put aside, and a JDK
     * channel that an interrupt arriving meanwhile closed all the same is replaced and asked again.
     */
    <T> T call(Call<T> call, CallGate gate) throws IOException {
        if (gate.interrupts().cancelsOperations()) {
            try {
                return call.on(get());
            } catch (ClosedByInterruptException | FileLockInterruptionException e) {
                throw gate.closedBy(e);
            }
        }
        boolean interrupted = Thread.interrupted();
        try {
            for (;;) {
                try {
                    return call.on(get());
                } catch (ClosedByInterruptException | FileLockInterruptionException e) {
                    interrupted |= Thread.interrupted(); // the JDK's channel closed: get() opens another
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private FileChannel get() throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new ClosedChannelException();
            }
            if (channel == null || !channel.isOpen()) {
                Set<OpenOption> options = new HashSet<>();
                if (readable) {
                    options.add(StandardOpenOption.READ);
                }
                if (writable) {
                    options.add(StandardOpenOption.WRITE);
                }
                channel = PlatformFileSystem.provider().newFileChannel(PlatformFileSystem.path("/proc/self/fd/" + fd),
                        options);
            }
            return channel;
        } finally {
            lock.unlock();
        }
    }

    void close() throws IOException {
        lock.lock();
        try {
            closed = true;
            if (channel != null) {
                channel.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
