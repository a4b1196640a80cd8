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
        // Plain reads: the kernel wrote the mask and size before io_uring_setup returned, and never
        // writes them again; the head is ours alone (the kernel only reads it), and nothing is posted yet.
        this.mask = ring.get(JAVA_INT, IoUringParams.cqOffset(params, IoUringParams.CQ_RING_MASK));
        this.entries = ring.get(JAVA_INT, IoUringParams.cqOffset(params, IoUringParams.CQ_RING_ENTRIES));
        this.localHead = ring.get(JAVA_INT, kHead);
    }

    /** Hands every posted completion to {@code reaper}, then frees their entries; returns how many. */
    int reap(CompletionReaper reaper) {
        // Acquire pairs with the kernel's smp_store_release of the tail (io_commit_cqring), made after it
        // wrote the entries before it: the entries' plain reads below see what the kernel wrote.
        int tail = RingMemory.getIntAcquire(ring, kTail);
        int reaped = tail - localHead;
        for (; localHead != tail; localHead++) {
            long entry = cqes + (localHead & mask) * CompletionQueueEntry.BYTES;
            reaper.reap(CompletionQueueEntry.userData(ring, entry), CompletionQueueEntry.result(ring, entry));
        }
        if (reaped != 0) {
            // Release: our reads of the entries complete before the kernel can see their slots free. The
            // kernel has no acquire to pair with: it reads the head with READ_ONCE and writes an entry
            // only if the head leaves room, a control dependency that orders its store after that load.
            RingMemory.setIntRelease(ring, kHead, localHead);
        }
        return reaped;
    }

    int capacity() {
        return entries;
    }
}
