package dev.ringpark;

import dev.ringpark.poller.Errno;
import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.Operation;
import dev.ringpark.poller.Poller;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.InterruptedByTimeoutException;

/**
 * Runs the operations of one open descriptor through the poller, the caller parked meanwhile, and
 * turns their results into the JDK's exceptions. An interrupt cancels an operation unless the
 * channel ignores interrupts; a deadline cancels it when it passes; a close of the handle cancels
 * it always. An operation that was cancelled tells its caller why: {@link AsynchronousCloseException}
 * for a close, {@link InterruptedIOException} for an interrupt that cancels calls only,
 * {@link InterruptedByTimeoutException} for a deadline (an interrupt that closes the channel is
 * reported by the {@link CallGate}).
 *
 * @param poller     the poller
 * @param handle     the descriptor
 * @param interrupts what an interrupt of the caller does
 */
record DescriptorOperations(Poller poller, FileHandle handle, InterruptPolicy interrupts) {
    /**
     * Runs {@code operation}, which names {@code memory} (a pooled buffer, or {@code null}), and
     * checks its result.
     *
     * @return the non-negative result
     */
    int run(Operation operation, Lease memory) throws IOException {
        return run(operation, memory, Deadline.NONE);
    }

    /** {@link #run(Operation, Lease)}, cancelled if it is still in flight at {@code deadline}. */
    int run(Operation operation, Lease memory, Deadline deadline) throws IOException {
        deadline.bound(operation);
        boolean cancelOnInterrupt = interrupts.cancelsOperations();
        int result = memory == null ? poller.execute(operation, cancelOnInterrupt)
                : memory.execute(poller, operation, cancelOnInterrupt);
        return checkResult(result, deadline);
    }

    /** Turns a negative result into the exception the JDK throws; returns a non-negative one. */
    long checkResult(long result) throws IOException {
        return checkResult(result, Deadline.NONE);
    }

    /**
     * {@link #checkResult(long)} of an operation that ran under {@code deadline}: a cancelled one
     * ({@code -ECANCELED}, or {@code -EINTR} from a kernel worker stopped in a blocking call) says
     * which of a close, an interrupt and the deadline stopped it, in the JDK's order (an interrupt
     * before a close, as {@code AbstractInterruptibleChannel.end} decides).
     */
    long checkResult(long result, Deadline deadline) throws IOException {
        if (result >= 0) {
            return result;
        }
        if (result == -Errno.ECANCELED || result == -Errno.EINTR) {
            if (interrupts == InterruptPolicy.CANCEL_CALL && Thread.currentThread().isInterrupted()) {
                throw InterruptPolicy.interrupted();
            }
            if (handle.isClosing()) {
                throw new AsynchronousCloseException();
            }
            if (deadline.hasPassed()) {
                throw Deadline.timedOut();
            }
        }
        throw IoExceptions.forChannel((int) -result);
    }

    /** {@link #checkResult(long)} of an {@code int} result. */
    int checkResult(int result) throws IOException {
        return (int) checkResult((long) result);
    }

    /** {@link #checkResult(long, Deadline)} of an {@code int} result. */
    int checkResult(int result, Deadline deadline) throws IOException {
        return (int) checkResult((long) result, deadline);
    }
}
