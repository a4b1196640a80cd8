package dev.ringpark;

import java.util.Map;

/**
 * What Ringpark has done in this process so far: a snapshot from {@link Ringpark#statistics()},
 * each figure exact but not all taken at the same instant. The same figures are the attributes of
 * the MBean {@value Ringpark#MXBEAN_NAME}.
 *
 * @param driver            the driver in use ({@code io_uring}, {@code aio}, {@code threads})
 * @param completed         operations completed through the poller, by kind ({@code read},
 *                          {@code write}, {@code copy} (the kernel moving bytes between two
 *                          descriptors), {@code await} (a wait for a pipe to be ready),
 *                          {@code sync}, {@code stat}, {@code truncate}, {@code advise},
 *                          {@code open}, {@code unlink}, {@code close}, {@code nop},
 *                          {@code cancel})
 * @param bytesRead         bytes read through the poller
 * @param bytesWritten      bytes written through the poller
 * @param cachedReads       reads the page cache answered on the calling thread, without the poller
 * @param cachedReadMisses  reads tried there that went on through the poller
 * @param callerOpens       opens made on the calling thread (cached paths of local file systems)
 * @param callerCloses      closes made on the calling thread
 * @param callerSizes       sizes asked on the calling thread
 * @param cancelled         operations that ended cancelled (by an interrupt or a close)
 * @param kernelCalls       system calls the poller made to hand work to the kernel and reap it
 *                          ({@code io_uring_enter} on io_uring)
 * @param kernelSubmissions requests those calls handed over (submission entries on io_uring)
 * @param pollerSleeps      times the poller waited for work or completions
 * @param wakeupSignals     times a caller woke the sleeping poller (an eventfd write on io_uring)
 * @param inFlight          operations in the kernel (or the pool) now
 * @param inFlightHighWater the most operations there at once
 * @param backlog           operations waiting for room in the kernel now
 * @param backlogHighWater  the most operations waiting at once
 * @param buffersLent       native buffers lent to calls (bounce buffers for heap memory, scratch)
 * @param nativeBytes       native bytes held by those buffers, free or lent
 * @param retiredBytes      native bytes given up because the kernel might still write into them
 */
public record RingparkStatistics(String driver, Map<String, Long> completed, long bytesRead, long bytesWritten,
                                 long cachedReads, long cachedReadMisses, long callerOpens, long callerCloses,
                                 long callerSizes, long cancelled, long kernelCalls, long kernelSubmissions,
                                 long pollerSleeps, long wakeupSignals, long inFlight, long inFlightHighWater,
                                 long backlog, long backlogHighWater, long buffersLent, long nativeBytes,
                                 long retiredBytes) {
    /** Copies {@code completed}. */
    public RingparkStatistics {
        completed = Map.copyOf(completed);
    }

    /**
     * Operations completed through the poller, all kinds together.
     *
     * @return the sum of {@link #completed()}
     */
    public long operations() {
        return completed.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Requests handed to the kernel per system call: how well the poller batches.
     *
     * @return {@link #kernelSubmissions()} over {@link #kernelCalls()}; 0 before any call
     */
    public double submissionsPerKernelCall() {
        return kernelCalls == 0 ? 0 : (double) kernelSubmissions / kernelCalls;
    }
}
