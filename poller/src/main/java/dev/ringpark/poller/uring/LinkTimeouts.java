package dev.ringpark.poller.uring;

import dev.ringpark.poller.linux.Timespec;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * The linked timeouts ({@code IORING_OP_LINK_TIMEOUT}) that bound operations with a deadline: their
 * {@code struct timespec}s, and the count of completions each still waits for. Poller thread only.
 *
 * <p>An operation with a timeout is two entries in the submission queue, the operation flagged
 * {@code IOSQE_IO_LINK} and the timeout right after it, and two completions: the operation's own
 * (its result, or {@code -ECANCELED} when the timeout cancelled it) and the timeout's ({@code -ETIME}
 * when it fired, {@code -ECANCELED} when the operation finished first), in either order. The kernel
 * copies the timespec when it prepares the timeout; this class keeps it valid all the same until
 * both completions have been reaped, so that no kernel may read a timespec that has been reused.
 *
 * <p>Completion-queue accounting: an entry is taken per timeout and given back only once both
 * completions are in, and there are as many entries as the driver has operation slots. So at any
 * moment the completion queue may owe at most one completion per slot (the operations) plus one per
 * entry (the timeouts, some of whose operations may already have left their slots), plus the
 * wake-up read: the driver makes its completion queue twice its operation capacity, and never
 * overflows. When every entry is taken (timeouts whose completions lag behind their operations'),
 * an operation goes to the kernel without a timeout, and its caller's own cancel bounds it.
 *
 * <p>{@code user_data}: a timeout's is {@link #TAG} with the entry's index, negative, which no
 * operation's is (the poller's are positive).
 */
final class LinkTimeouts {
    /** The bit that marks a timeout's own {@code user_data}. */
    static final long TAG = Long.MIN_VALUE;
    /** What {@link #take} returns when every entry is taken. */
    static final int NONE = -1;

    private final MemorySegment timespecs;
    /** Indexes of the free entries: a stack. */
    private final int[] free;
    private int freeCount;
    /** Per entry, the completions still to come: 2 once taken, 0 when free. */
    private final byte[] awaited;
    /** The entry of each operation whose completion is still to come, by its {@code user_data}. */
    private final Map<Long, Integer> byOperation = new HashMap<>();

    LinkTimeouts(Arena arena, int entries) {
        timespecs = arena.allocate(entries * Timespec.BYTES, Timespec.ALIGNMENT);
        free = new int[entries];
        awaited = new byte[entries];
        for (int entry = 0; entry < entries; entry++) {
            free[freeCount++] = entries - 1 - entry;
        }
    }

    /** Whether {@code userData} is a timeout's own. */
    static boolean isTimeout(long userData) {
        return userData < 0;
    }

    /** The {@code user_data} of the timeout in {@code entry}. */
    static long userData(int entry) {
        return TAG | entry;
    }

    /**
     * Takes an entry for the operation submitted under {@code operationUserData}, whose timeout is
     * {@code nanos} from now (0 when its deadline has passed: the kernel then cancels it as soon as it
     * would have to wait).
     *
     * @return the entry, or {@link #NONE} when every entry is taken
     */
    int take(long operationUserData, long nanos) {
        if (freeCount == 0) {
            return NONE;
        }
        int entry = free[--freeCount];
        Timespec.set(timespec(entry), Math.max(nanos, 0));
        awaited[entry] = 2;
        byOperation.put(operationUserData, entry);
        return entry;
    }

    /** The address of the timespec of {@code entry}, for the timeout's entry in the submission queue. */
    long address(int entry) {
        return timespec(entry).address();
    }

    /** The timeout with this {@code user_data} has completed. */
    void timeoutCompleted(long userData) {
        answered((int) (userData & ~TAG));
    }

    /** The operation with this {@code user_data} has completed; nothing to do unless it had a timeout. */
    void operationCompleted(long userData) {
        if (byOperation.isEmpty()) {
            return; // the usual case, operations without deadlines: no look-up
        }
        Integer entry = byOperation.remove(userData);
        if (entry != null) {
            answered(entry);
        }
    }

    /** Entries taken, whose completions are not all in (for tests). */
    int inUse() {
        return free.length - freeCount;
    }

    private void answered(int entry) {
        if (--awaited[entry] == 0) {
            free[freeCount++] = entry;
        }
    }

    private MemorySegment timespec(int entry) {
        return timespecs.asSlice(entry * Timespec.BYTES, Timespec.BYTES);
    }
}
