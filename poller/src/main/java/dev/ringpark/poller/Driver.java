package dev.ringpark.poller;

import java.io.IOException;

/**
 * The narrow hooks through which the {@link Poller} drives one kernel mechanism. The poller owns the
 * protocol (hand-off, bounding, cancellation, failure); a driver only translates.
 *
 * <p>Every method but {@link #wakeup()} and {@link #timesOutInKernel()} is called on the poller thread
 * only, and the driver is created on that thread too (io_uring's {@code SINGLE_ISSUER} requires it).
 */
public interface Driver extends AutoCloseable {
    /** A short name: {@code io_uring}. */
    String name();

    /** What the driver runs with, for diagnostics. */
    String description();

    /** The most operations the driver may hold at once; the poller never submits more. */
    int capacity();

    /**
     * Queues {@code operation} for the kernel under {@code userData}, which is never 0 nor negative
     * (a driver may use those for entries of its own); it reaches the kernel at the next
     * {@link #await}. For a {@link Cancel}, {@link Cancel#targetUserData()} names the operation to
     * cancel; a {@link CancelAll} never reaches a driver. An operation with a
     * {@linkplain Operation#hasDeadline() deadline} may be timed out by the kernel where the driver
     * {@linkplain #timesOutInKernel() can}.
     *
     * @return a ticket for {@link #mayHaveReachedKernel}
     */
    long submit(Operation operation, long userData);

    /**
     * After {@link #await} threw: whether the submission with {@code ticket} may have reached the
     * kernel. {@code false} only when it certainly did not, so that its caller may redo its effect
     * (close a descriptor, say) without doing it twice.
     */
    boolean mayHaveReachedKernel(long ticket);

    /**
     * Hands queued operations to the kernel and reports every completion that has arrived to
     * {@code reaper}. With {@code block}, first waits until there is at least one completion or a
     * {@link #wakeup()}.
     *
     * @throws IOException when the kernel mechanism itself failed; the poller cannot go on
     */
    void await(boolean block, CompletionReaper reaper) throws IOException;

    /**
     * Any thread: the system calls the driver has made to hand work to the kernel and reap it
     * ({@code io_uring_enter}, {@code io_submit}, {@code io_getevents}, eventfd reads), for statistics.
     */
    long kernelCalls();

    /** Any thread: the requests those calls (or a pool) have been handed, for statistics. */
    long kernelSubmissions();

    /**
     * Any thread: whether the driver has the kernel cancel an operation whose
     * {@linkplain Operation#setDeadlineNanos deadline} passes (io_uring's linked timeouts), so that
     * its parked caller need not. The answer is fixed when the driver is created. Where it is
     * {@code false}, the caller cancels the operation at its deadline, as an interrupt does.
     */
    default boolean timesOutInKernel() {
        return false;
    }

    /** Any thread: makes a blocked {@link #await} return soon. Never blocks. */
    void wakeup();

    /** Releases the kernel resources. Operations still in flight are abandoned to the kernel. */
    @Override
    void close();
}
