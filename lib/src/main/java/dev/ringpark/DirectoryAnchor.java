package dev.ringpark;

import dev.ringpark.poller.CallerCalls;
import dev.ringpark.poller.Errno;
import dev.ringpark.poller.Open;
import dev.ringpark.poller.OpenMode;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A descriptor of Ringpark's own ({@code O_PATH}) on the directory that a platform
 * {@link SecureDirectoryStream} holds open, so that files in it open through Ringpark relative to
 * that very directory: {@code /proc/self/fd/N/entry} resolves {@code entry} from the directory the
 * descriptor names, as {@code openat(dfd, entry)} does from the stream's. The stream's own
 * descriptor is private to the JDK, so this one is opened by the directory's path and kept only if
 * it names the same directory: its device and inode equal those of the stream's descriptor (which
 * keeps the inode alive, so the number cannot have been reused). A directory moved or replaced
 * since the stream opened it gives no anchor; the stream then opens its files itself.
 *
 * <p>Not possible, and so no anchor: without native access, without {@code /proc}, or when the
 * path no longer names the stream's directory.
 */
final class DirectoryAnchor {
    /** Longer paths cannot be opened ({@code PATH_MAX}). */
    private static final int PATH_MAX = 4096;

    private final int fd;
    private final String prefix;

    private DirectoryAnchor(int fd) {
        this.fd = fd;
        this.prefix = "/proc/self/fd/" + fd + "/";
    }

    /**
     * Anchors {@code stream}, which the platform opened on {@code directory}.
     *
     * @return the anchor, or {@code null} when there can be none (see the class documentation)
     */
    static DirectoryAnchor of(Path directory, SecureDirectoryStream<Path> stream) {
        try {
            if (Ringpark.offloaded()) {
                return null;
            }
            BasicFileAttributes streams = stream.getFileAttributeView(BasicFileAttributeView.class).readAttributes();
            int fd = openPath(directory);
            if (fd < 0) {
                return null;
            }
            DirectoryAnchor anchor = new DirectoryAnchor(fd);
            Object ours;
            try {
                ours = PlatformFileSystem.provider().readAttributes(PlatformFileSystem.path(anchor.prefix),
                        BasicFileAttributes.class).fileKey();
            } catch (IOException noProc) {
                ours = null;
            }
            if (ours == null || !ours.equals(streams.fileKey())) {
                anchor.close();
                return null;
            }
            return anchor;
        } catch (IOException cannot) {
            return null;
        }
    }

    /**
     * {@code entry}, a relative path of the platform's, as a path from the anchored directory: resolved
     * as a path, not joined as a string, so that it keeps bytes its string may have lost
     * ({@link NativePaths}).
     */
    Path resolve(Path entry) {
        return PlatformFileSystem.path(prefix).resolve(entry);
    }

    /**
     * {@code failure} of an open of {@link #resolve resolve(entry)} as the JDK reports it for an
     * open of {@code entry} relative to the directory: naming {@code entry}, not the path through
     * {@code /proc}.
     */
    FileSystemException renamed(FileSystemException failure, Path entry) {
        String file = failure.getFile();
        if (file == null || !file.startsWith(prefix)) {
            return failure;
        }
        FileSystemException renamed = FileSystemExceptions.naming(failure, entry.toString());
        renamed.setStackTrace(failure.getStackTrace());
        return renamed;
    }

    /** Closes the descriptor; an {@code O_PATH} descriptor's close never waits. */
    void close() {
        CallerCalls.closePathDescriptor(fd);
    }

    /**
     * Opens {@code directory} with {@code O_PATH}: on this thread if the path resolves from the
     * kernel's caches (it almost always does, the stream having just opened it), else through the
     * poller.
     *
     * @return the descriptor, or {@code -errno}
     */
    private static int openPath(Path directory) throws IOException {
        byte[] name = NativePaths.of(directory);
        if (name.length >= PATH_MAX) {
            return -Errno.ENAMETOOLONG;
        }
        try (Lease path = Lease.of(name.length + 1L)) {
            MemorySegment.copy(name, 0, path.segment(), JAVA_BYTE, 0, name.length);
            path.segment().set(JAVA_BYTE, name.length, (byte) 0);
            int fd = CallerCalls.openDirectoryPath(path.segment());
            if (fd == CallerCalls.WOULD_WAIT) {
                fd = path.execute(Ringpark.poller(), new Open(path.segment(), OpenMode.pathOnly(true), true));
            }
            return fd;
        }
    }
}
