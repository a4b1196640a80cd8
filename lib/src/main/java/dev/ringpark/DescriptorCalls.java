package dev.ringpark;

import dev.ringpark.poller.Advise;
import dev.ringpark.poller.CallerCalls;
import dev.ringpark.poller.Close;
import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.Poller;
import dev.ringpark.poller.Stat;
import dev.ringpark.poller.Sync;
import dev.ringpark.poller.Truncate;

import java.io.IOException;

/**
 * The calls on an open descriptor that move no bytes: made on the caller where they cannot wait
 * ({@link CallerCalls} says when, and why), else through the poller. Every method but
 * {@link #close} is called inside the channel's {@link CallGate}.
 */
final class DescriptorCalls {
    private final DescriptorOperations operations;
    private final FileHandle handle;
    /** Whether the descriptor has a position: {@code false} for a pipe or FIFO. */
    private final boolean seekable;
    /**
     * The file position as this channel last read or set it, or -1 when only the descriptor knows
     * it (after the kernel moved it: an append-mode write; and always for a pipe or FIFO, whose
     * {@code lseek} answers {@code ESPIPE}, which {@link #position()} reports). Guarded by the
     * channel's position lock, as every call that reads or moves the position is.
     */
    private long position;
    /** Whether the descriptor's own offset is not {@link #position} yet: set by {@link #syncPosition}. */
    private boolean descriptorBehind;

    /**
     * @param seekable whether the descriptor has a position. It must be one the channel has just
     *                 opened: {@code open(2)} puts the offset at the start, so the position is 0
     *                 without asking ({@code Files.readAllBytes} asks it of every file it reads).
     */
    DescriptorCalls(DescriptorOperations operations, boolean seekable) {
        this.operations = operations;
        this.handle = operations.handle();
        this.seekable = seekable;
        this.position = seekable ? 0 : -1;
    }

    /** The file's size: on the caller on a local file system or for a block device, else through the poller. */
    long size() throws IOException {
        long size = CallerCalls.size(handle);
        if (size != CallerCalls.WOULD_WAIT) {
            return operations.checkResult(size);
        }
        try (Lease buffer = Lease.of(Stat.BUFFER_BYTES)) {
            Stat stat = new Stat(handle, buffer.segment());
            operations.run(stat, buffer);
            return stat.size();
        }
    }

    /**
     * The file position of a seekable file. Kept here once known, so that a relative transfer is one
     * system call rather than three: Ringpark reads and writes files only at explicit offsets (io_uring
     * does not move the offset of an O_DIRECT transfer that completes asynchronously), and no other
     * open file description shares this one's offset (the JDK companion behind {@code map} and
     * {@code lock} reopens the file). Under the channel's position lock.
     */
    long position() throws IOException {
        if (position < 0) {
            position = operations.checkResult(CallerCalls.seek(handle.fd(), 0, false));
        }
        return position;
    }

    /**
     * Sets the file position; the descriptor's offset follows when something needs it
     * ({@link #syncPosition}). A pipe or FIFO has none: its {@code lseek} is made at once and its
     * {@code ESPIPE} thrown, as the JDK's {@code position(long)} reports it.
     */
    void setPosition(long newPosition) throws IOException {
        if (!seekable) {
            operations.checkResult(CallerCalls.seek(handle.fd(), newPosition, true));
            return;
        }
        position = newPosition;
        descriptorBehind = true;
    }

    /** The kernel moved the descriptor's offset (an append-mode write): ask it next time. */
    void positionMovedByKernel() {
        position = -1;
        descriptorBehind = false;
    }

    /** Sets the descriptor's offset to the position, for a system call that uses it ({@code sendfile}'s target). */
    void syncPosition() throws IOException {
        if (descriptorBehind) {
            operations.checkResult(CallerCalls.seek(handle.fd(), position, true));
            descriptorBehind = false;
        }
    }

    void truncate(long size) throws IOException {
        operations.run(new Truncate(handle, size), null);
    }

    void force(boolean metaData, Deadline deadline) throws IOException {
        operations.run(new Sync(handle, !metaData), null, deadline);
    }

    void advise(long position, long length, int advice) throws IOException {
        operations.run(new Advise(handle, position, length, advice), null);
    }

    /**
     * Closes the descriptor, which nothing uses any more: on the caller where {@code close(2)} cannot
     * wait, else through the poller. If the poller fails before the kernel ran the close, it is made
     * here; if the kernel may have run it, it is not repeated, since the number may already belong to
     * another file: better a leaked descriptor than closing someone else's.
     */
    void close() throws IOException {
        int rc = CallerCalls.close(handle);
        if (rc == CallerCalls.WOULD_WAIT) {
            rc = closeThrough(operations.poller(), handle.fd());
        }
        operations.checkResult(rc);
    }

    /**
     * Closes {@code fd} through {@code poller}, the caller parked meanwhile; if the poller fails
     * before the kernel ran the close, closes it here.
     *
     * @return 0 or {@code -errno}
     * @throws IOException when the poller failed after the kernel may have run the close, which is
     *                     then not repeated
     */
    static int closeThrough(Poller poller, int fd) throws IOException {
        Close close = new Close(fd);
        try {
            return poller.execute(close);
        } catch (IOException pollerFailed) {
            if (close.mayHaveRun()) {
                throw pollerFailed;
            }
            return CallerCalls.closeAnyway(fd);
        }
    }
}
