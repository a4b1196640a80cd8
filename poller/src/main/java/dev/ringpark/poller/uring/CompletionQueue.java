package dev.ringpark.poller.uring;

import dev.ringpark.poller.CompletionReaper;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/** The completion queue: entries the kernel posts and the poller reaps. Poller thread only. */
final class CompletionQueue {
    private final MemorySegment ring;
    private final long kHead;
    private final long kTail;
    private final long cqes;
    private final int mask;
    private final int entries;
    private int localHead;

    CompletionQueue(MemorySegment ring, MemorySegment params) {
        this.ring = ring;
        this.kHead = IoUringParams.cqOffset(params, IoUringParams.CQ_HEAD);
        this.kTail = IoUringParams.cqOffset(params, IoUringParams.CQ_TAIL);
        this.cqes = IoUringParams.cqOffset(params, IoUringParams.CQ_CQES);
        this.mask = ring.get(JAVA_INT, IoUringParams.cqOffset(params, IoUringParams.CQ_RING_MASK));
        this.entries = ring.get(JAVA_INT, IoUringParams.cqOffset(params, IoUringParams.CQ_RING_ENTRIES));
        this.localHead = ring.get(JAVA_INT, kHead);
    }

    /** Hands every posted completion to {@code reaper}, then frees their entries; returns how many. */
    int reap(CompletionReaper reaper) {
        // Acquire pairs with the kernel's release of the tail after it wrote the entries.
        int tail = RingMemory.getIntAcquire(ring, kTail);
        int reaped = tail - localHead;
        for (; localHead != tail; localHead++) {
            long entry = cqes + (localHead & mask) * CompletionQueueEntry.BYTES;
            reaper.reap(CompletionQueueEntry.userData(ring, entry), CompletionQueueEntry.result(ring, entry));
        }
        if (reaped != 0) {
            // Release pairs with the kernel's acquire of the head: our reads of the entries come first.
            RingMemory.setIntRelease(ring, kHead, localHead);
        }
        return reaped;
    }

    int capacity() {
        return entries;
    }
}
