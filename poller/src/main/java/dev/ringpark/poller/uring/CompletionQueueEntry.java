package dev.ringpark.poller.uring;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct io_uring_cqe} (16 bytes).
 *
 * <pre>
 *   0            8      12     16
 *   +------------+------+------+
 *   | user_data  | res  | flags|
 *   +------------+------+------+
 * </pre>
 *
 * <p>Read plainly: only after the acquire of the CQ tail that the kernel released once it had written
 * the entry ({@code CompletionQueue.reap}).
 */
final class CompletionQueueEntry {
    static final long BYTES = 16;

    private static final long USER_DATA = 0;
    private static final long RES = 8;

    private CompletionQueueEntry() {
    }

    static long userData(MemorySegment cqes, long offset) {
        return cqes.get(JAVA_LONG, offset + USER_DATA);
    }

    /** The result: what the system call would have returned, or {@code -errno}. */
    static int result(MemorySegment cqes, long offset) {
        return cqes.get(JAVA_INT, offset + RES);
    }
}
