package dev.ringpark;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.ClosedDirectoryStreamException;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The platform's {@link SecureDirectoryStream} with Ringpark paths, whose {@link #newByteChannel}
 * gives Ringpark channels. Everything else (iteration, sub-directory streams, deletion, moves,
 * attribute views) is the platform stream's, relative to its own descriptor.
 *
 * <p>{@code newByteChannel} of a relative path opens it through Ringpark from a
 * {@link DirectoryAnchor}: a descriptor of Ringpark's own that names the same directory as the
 * stream's, so the file opened is the one {@code openat} on the stream's descriptor would open, even
 * if the directory has been moved or replaced since the stream was opened (what a server that
 * checks each path component with {@code NOFOLLOW_LINKS} relies on). The anchor is opened by the
 * directory's path on the first such call and kept only if it names the stream's directory (device
 * and inode); when it cannot be had, the platform stream opens the file itself (a JDK channel). An
 * absolute path ignores the directory, as {@code openat} does.
 */
final class RingSecureDirectoryStream extends RingDirectoryStream implements SecureDirectoryStream<Path> {
    private final SecureDirectoryStream<Path> platform;
    /** The platform's path of the directory, as the JDK's stream names it: entries resolve against it. */
    private final Path directory;
    /** Opens through the anchor hold the read lock; close holds the write lock, so no open uses a closed descriptor. */
    private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
    private final ReentrantLock anchorLock = new ReentrantLock();
    private boolean closed;
    private boolean anchorTried;
    private DirectoryAnchor anchor;

    RingSecureDirectoryStream(RingFileSystem fileSystem, SecureDirectoryStream<Path> platform, Path directory) {
        super(fileSystem, platform);
        this.platform = platform;
        this.directory = directory;
    }

    /** {@code path} as the platform's own path, checked as the JDK's stream checks it. */
    private Path entry(Path path) {
        Path entry = RingFileSystem.unwrap(Objects.requireNonNull(path));
        if (entry.getFileSystem() != fileSystem.platform()) {
            throw new ProviderMismatchException();
        }
        return entry;
    }

    @Override
    public SecureDirectoryStream<Path> newDirectoryStream(Path path, LinkOption... options) throws IOException {
        Path entry = entry(path);
        return new RingSecureDirectoryStream(fileSystem, platform.newDirectoryStream(entry, options),
                directory.resolve(entry));
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        Path entry = entry(path);
        checkInitialAttributes(attrs);
        closeLock.readLock().lock();
        try {
            if (closed) {
                throw new ClosedDirectoryStreamException();
            }
            if (entry.isAbsolute()) {
                return opened(RingFileChannel.openWithJdkOptions(entry, options, attrs));
            }
            DirectoryAnchor from = entry.toString().isEmpty() ? null : anchor();
            if (from == null) {
                return platform.newByteChannel(entry, options, attrs);
            }
            try {
                return opened(RingFileChannel.openWithJdkOptions(from.resolve(entry), options, attrs));
            } catch (FileSystemException e) {
                throw from.renamed(e, entry);
            }
        } finally {
            closeLock.readLock().unlock();
        }
    }

    private static SeekableByteChannel opened(RingFileChannel channel) {
        ProviderCounters.opened();
        return channel;
    }

    /** The JDK's check of initial attributes, made before it looks at the stream: only permissions. */
    private static void checkInitialAttributes(FileAttribute<?>... attrs) {
        for (FileAttribute<?> attr : attrs) {
            String name = attr.name();
            if (!name.equals("posix:permissions") && !name.equals("unix:permissions")) {
                throw new UnsupportedOperationException("'" + name + "' not supported as initial attribute");
            }
        }
    }

    /** The anchor, opened on first use; {@code null} when there can be none. Under the read lock. */
    private DirectoryAnchor anchor() {
        anchorLock.lock();
        try {
            if (!anchorTried) {
                anchorTried = true;
                anchor = DirectoryAnchor.of(directory, platform);
            }
            return anchor;
        } finally {
            anchorLock.unlock();
        }
    }

    @Override
    public void deleteFile(Path path) throws IOException {
        platform.deleteFile(entry(path));
    }

    @Override
    public void deleteDirectory(Path path) throws IOException {
        platform.deleteDirectory(entry(path));
    }

    @Override
    public void move(Path srcpath, SecureDirectoryStream<Path> targetdir, Path targetpath) throws IOException {
        SecureDirectoryStream<Path> target = targetdir instanceof RingSecureDirectoryStream ring ? ring.platform : targetdir;
        platform.move(entry(srcpath), target, entry(targetpath));
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Class<V> type) {
        return platform.getFileAttributeView(type);
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        return platform.getFileAttributeView(entry(path), type, options);
    }

    @Override
    public void close() throws IOException {
        closeLock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                if (anchor != null) {
                    anchor.close();
                    anchor = null;
                }
            }
            super.close();
        } finally {
            closeLock.writeLock().unlock();
        }
    }
}
