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
        // Plain reads: the kernel wrote the mask and size before io_uring_setup returned, and never
        // writes them again; the tail is ours alone (the kernel only reads it), and nothing is queued yet.
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
        // Acquire pairs with the kernel's smp_store_release of the head (io_commit_sqring), made once
        // it has read the entries before it: an entry behind the head has been taken.
        return index - RingMemory.getIntAcquire(ring, kHead) < 0;
    }

    /** How many entries {@link #claim()} may still fill before the kernel consumes some. */
    int free() {
        // Acquire, as in claim(): entries behind the kernel's head are no longer read.
        return entries - (localTail - RingMemory.getIntAcquire(ring, kHead));
    }

    /**
     * The offset in {@link #entries()} of the next free entry, which the caller must fill before the
     * next {@link #publish()}; -1 when every entry is still waiting for the kernel.
     */
    long claim() {
        // Acquire pairs with the kernel's smp_store_release of the head (io_commit_sqring), made once it
        // has read the entries before it: the entry about to be overwritten is no longer read.
        int head = RingMemory.getIntAcquire(ring, kHead);
        if (localTail - head == entries) {
            return -1;
        }
        int index = localTail & mask;
        if (kArray >= 0) {
            // Plain, as the entry's own fields: the release of the tail in publish() publishes both.
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
        // Release pairs with the kernel's smp_load_acquire of the tail (io_sqring_entries): the entries'
        // plain stores are visible to it before the new tail is.
        RingMemory.setIntRelease(ring, kTail, localTail);
        // Acquire pairs with the kernel's release of the head, as in claim(); the count only sizes
        // to_submit, and the kernel clamps it to what is really queued.
        return localTail - RingMemory.getIntAcquire(ring, kHead);
    }

    /** Whether completions are waiting in the kernel's overflow list ({@code IORING_SQ_CQ_OVERFLOW}). */
    boolean completionsOverflowed() {
        // Opaque, as liburing's READ_ONCE: the kernel sets the flag with atomic_or, which orders nothing,
        // so there is nothing to acquire. A flag seen late costs nothing: every loop of the poller enters
        // with GETEVENTS, which flushes the overflow list whether or not the flag was seen.
        return (RingMemory.getIntOpaque(ring, kFlags) & IORING_SQ_CQ_OVERFLOW) != 0;
    }

    int capacity() {
        return entries;
    }
}
