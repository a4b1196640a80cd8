package dev.ringpark;

import dev.ringpark.poller.Errno;
import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.Operation;
import dev.ringpark.poller.Poller;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;

/**
 * Runs the operations of one open descriptor through the poller, the caller parked meanwhile, and
 * turns their results into the JDK's exceptions. An interrupt cancels an operation only on an
 * interruptible channel; a close of the handle cancels it always, and its caller gets
 * {@link AsynchronousCloseException}.
 *
 * @param poller        the poller
 * @param handle        the descriptor
 * @param interruptible whether an interrupt of the caller cancels its operation
 */
record DescriptorOperations(Poller poller, FileHandle handle, boolean interruptible) {
    /**
     * Runs {@code operation}, which names {@code memory} (a pooled buffer, or {@code null}), and
     * checks its result.
     *
     * @return the non-negative result
     */
    int run(Operation operation, Lease memory) throws IOException {
        int result = memory == null ? poller.execute(operation, interruptible)
                : memory.execute(poller, operation, interruptible);
        return checkResult(result);
    }

    /** Turns a negative result into the exception the JDK throws; returns a non-negative one. */
    long checkResult(long result) throws IOException {
        if (result >= 0) {
            return result;
        }
        if (result == -Errno.ECANCELED && handle.isClosing()) {
            throw new AsynchronousCloseException();
        }
        throw IoExceptions.forChannel((int) -result);
    }

    /** {@link #checkResult(long)} of an {@code int} result. */
    int checkResult(int result) throws IOException {
        return (int) checkResult((long) result);
    }
}
