package dev.ringpark;

import dev.ringpark.poller.CallerCalls;
import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.NativeBufferPool;
import dev.ringpark.poller.Open;
import dev.ringpark.poller.PathLook;
import dev.ringpark.poller.Poller;
import dev.ringpark.poller.Unlink;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Opens a path for a {@link PollerFileChannel}, where what the path names lets the open run
 * ({@link CallerCalls#look}, made on the caller without waiting):
 * <ul>
 *   <li>a regular file or directory of a local file system, neither created nor truncated: on the
 *       caller ({@link CallerCalls#openCached}), unless part of its path has left the caches;</li>
 *   <li>a FIFO, whose open waits for its peer: on a platform thread of its own ({@link FifoOpens});</li>
 *   <li>anything else: through the poller, which io_uring tries inline when the path was seen to name
 *       a regular file, a directory or nothing, and runs on a worker otherwise (a device's open may
 *       wait, a path out of the caches needs the disk).</li>
 * </ul>
 * A path that changes between the look and the open is opened as the look found it: see
 * {@code docs/ARCHITECTURE.md}.
 */
final class PathOpener {
    private PathOpener() {
    }

    /** Opens {@code path} as {@code request} asks; the channel's own checks come after. */
    static PollerFileChannel open(Poller poller, Path path, OpenRequest request) throws IOException {
        byte[] name = NativePaths.of(path);
        if (name.length >= NativeBufferPool.MAX_BUFFER_BYTES) {
            throw new FileSystemException(path.toString(), null, "File name too long");
        }
        try (Lease pathLease = Lease.of(name.length + 1L)) {
            MemorySegment cPath = pathLease.segment();
            MemorySegment.copy(name, 0, cPath, JAVA_BYTE, 0, name.length);
            cPath.set(JAVA_BYTE, name.length, (byte) 0);
            PathLook look = CallerCalls.look(cPath, request.mode().followLinks());
            boolean onCaller = look.opensOnCaller(request.mode());
            if (onCaller || look.fifo()) {
                poller.ensureRunning(); // a failed poller fails every call, these too
            }
            int fd = onCaller ? CallerCalls.openCached(cPath, request.mode()) : CallerCalls.WOULD_WAIT;
            boolean openedOnCaller = fd != CallerCalls.WOULD_WAIT;
            if (!openedOnCaller) {
                fd = look.fifo() ? FifoOpens.open(cPath, request.mode())
                        : pathLease.execute(poller, new Open(cPath, request.mode(), look.plain()));
            }
            if (fd >= 0 && request.deleteOnClose()) {
                // The JDK unlinks at once on Unix, and ignores a failure to, as here.
                pathLease.execute(poller, new Unlink(cPath));
            }
            if (fd < 0) {
                throw request.failure(-fd, path);
            }
            return channel(poller, fd, path, request, openedOnCaller ? look : CallerCalls.describe(fd));
        }
    }

    /** The channel on the new descriptor {@code fd}, which {@code facts} describe; closes it on failure. */
    private static PollerFileChannel channel(Poller poller, int fd, Path path, OpenRequest request, PathLook facts)
            throws IOException {
        boolean seekable = switch (facts.type()) {
            case REGULAR, DIRECTORY, BLOCK_DEVICE -> true;
            default -> CallerCalls.seekable(fd);
        };
        int directBlockSize = 0;
        if (request.direct()) {
            long blockSize = CallerCalls.directIoBlockSize(fd);
            if (blockSize < 0) {
                DescriptorCalls.closeThrough(poller, fd);
                throw IoExceptions.forChannel((int) -blockSize);
            }
            directBlockSize = (int) blockSize;
        }
        FileHandle.IoMode ioMode = !seekable ? FileHandle.IoMode.STREAM
                : directBlockSize > 0 ? FileHandle.IoMode.DIRECT : FileHandle.IoMode.BUFFERED;
        FileHandle handle = new FileHandle(fd, ioMode, facts.type(), facts.fileSystem(), request.writable());
        return new PollerFileChannel(poller, handle, path, request, directBlockSize);
    }
}
