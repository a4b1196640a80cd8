package dev.ringpark.benchmarks;

import java.lang.management.ManagementFactory;

/**
 * The CPU time of the whole JVM process, every thread counted: the caller's, the carriers', pool
 * threads', Ringpark's poller, the kernel's io_uring workers (which are threads of the process),
 * the JIT and the GC. That is the cost a user pays per operation, whoever pays it inside.
 */
final class ProcessCpu {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ProcessCpu() {
    }

    /**
     * User and system CPU time of the process so far, in nanoseconds. On Linux the JDK reads it
     * with {@code times(2)}, in clock ticks (10 ms): differences over a whole iteration (a second or
     * more, the sum of every sample's difference) are good to about 1%, a single 10 ms sample's are not.
     */
    static long nanos() {
        return OS.getProcessCpuTime();
    }
}
