package dev.ringpark.poller.uring;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The submission queue: entries the poller fills and the kernel consumes. Poller thread only.
 *
 * <p>Entries are filled at {@link #localTail} and become visible to the kernel only when
 * {@link #publish()} releases the tail, so one {@code io_uring_enter} submits a whole batch.
 */
final class SubmissionQueue {
    private static final int IORING_SQ_CQ_OVERFLOW = 1 << 1;

    private final MemorySegment ring;
    private final MemorySegment sqes;
    private final long kHead;
    private final long kTail;
    private final long kFlags;
    /** Offset of the SQ index array, or -1 with {@code IORING_SETUP_NO_SQARRAY}. */
    private final long kArray;
    private final int mask;
    private final int entries;
    private int localTail;

    SubmissionQueue(MemorySegment ring, MemorySegment sqes, MemorySegment params, boolean hasArray) {
        this.ring = ring;
        this.sqes = sqes;
        this.kHead = IoUringParams.sqOffset(params, IoUringParams.SQ_HEAD);
        this.kTail = IoUringParams.sqOffset(params, IoUringParams.SQ_TAIL);
        this.kFlags = IoUringParams.sqOffset(params, IoUringParams.SQ_FLAGS);
        this.kArray = hasArray ? IoUringParams.sqOffset(params, IoUringParams.SQ_ARRAY) : -1;
        this.mask = ring.get(JAVA_INT, IoUringParams.sqOffset(params, IoUringParams.SQ_RING_MASK));
        this.entries = ring.get(JAVA_INT, IoUringParams.sqOffset(params, IoUringParams.SQ_RING_ENTRIES));
        this.localTail = ring.get(JAVA_INT, kTail);
    }

    /** The index the next {@link #claim()} fills: entries before it were claimed, in this order. */
    int nextIndex() {
        return localTail;
    }

    /** Whether the kernel has consumed the entry claimed at {@code index} (see {@link #nextIndex()}). */
    boolean consumed(int index) {
        // Acquire pairs with the kernel's release of the head once it has read the entries before it.
        return index - RingMemory.getIntAcquire(ring, kHead) < 0;
    }

    /**
     * The offset in {@link #entries()} of the next free entry, which the caller must fill before the
     * next {@link #publish()}; -1 when every entry is still waiting for the kernel.
     */
    long claim() {
        // Acquire pairs with the kernel's release of the head once it has read the entries before it.
        int head = RingMemory.getIntAcquire(ring, kHead);
        if (localTail - head == entries) {
            return -1;
        }
        int index = localTail & mask;
        if (kArray >= 0) {
            ring.set(JAVA_INT, kArray + 4L * index, index);
        }
        localTail++;
        return index * SubmissionQueueEntry.BYTES;
    }

    /** The memory holding the entries that {@link #claim()} offsets point into. */
    MemorySegment entries() {
        return sqes;
    }

    /**
     * Makes every claimed entry visible to the kernel and returns how many it has not consumed yet:
     * the {@code to_submit} of the next {@code io_uring_enter}.
     */
    int publish() {
        // Release pairs with the kernel's acquire of the tail: the entries' plain stores come first.
        RingMemory.setIntRelease(ring, kTail, localTail);
        return localTail - RingMemory.getIntAcquire(ring, kHead);
    }

    /** Whether completions are waiting in the kernel's overflow list ({@code IORING_SQ_CQ_OVERFLOW}). */
    boolean completionsOverflowed() {
        // Acquire pairs with the kernel's atomic set of the flag when it queues an overflowed CQE.
        return (RingMemory.getIntAcquire(ring, kFlags) & IORING_SQ_CQ_OVERFLOW) != 0;
    }

    int capacity() {
        return entries;
    }
}
