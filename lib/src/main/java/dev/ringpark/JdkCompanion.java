package dev.ringpark;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
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

    FileChannel get() throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new ClosedChannelException();
            }
            if (channel == null) {
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
