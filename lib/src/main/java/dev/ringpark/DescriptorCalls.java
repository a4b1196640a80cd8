package dev.ringpark;

import dev.ringpark.poller.Advise;
import dev.ringpark.poller.CallerCalls;
import dev.ringpark.poller.Close;
import dev.ringpark.poller.FileHandle;
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

    DescriptorCalls(DescriptorOperations operations) {
        this.operations = operations;
        this.handle = operations.handle();
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

    /** Sets the file position ({@code fromStart}) or moves it by {@code offset}; returns the new one. */
    long seek(long offset, boolean fromStart) throws IOException {
        return operations.checkResult(CallerCalls.seek(handle.fd(), offset, fromStart));
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
            Close close = new Close(handle.fd());
            try {
                rc = operations.poller().execute(close);
            } catch (IOException pollerFailed) {
                if (close.mayHaveRun()) {
                    throw pollerFailed;
                }
                rc = CallerCalls.closeAnyway(handle.fd());
            }
        }
        operations.checkResult(rc);
    }
}
