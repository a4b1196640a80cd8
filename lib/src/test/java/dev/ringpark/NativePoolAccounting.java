package dev.ringpark;

import dev.ringpark.poller.NativeBufferPool;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link NativeBufferPool#shared()} holds: the bytes lent out (allocated and not free in the
 * pool), which must come back to their starting level once every call has returned, and the bound on
 * what the pool may keep free.
 *
 * <p>The pool does not say how many buffers it keeps free; {@link #lentBytes()} finds out by taking
 * free buffers of each size until taking one makes the pool allocate, then giving them all back.
 * Allocated minus free is unchanged by that, so it measures exactly what callers still hold. Only
 * meaningful while no other thread uses the pool.
 */
final class NativePoolAccounting {
    private static final NativeBufferPool POOL = NativeBufferPool.shared();

    private NativePoolAccounting() {}

    /** Native bytes allocated by the pool and not free in it: held by callers, or retired. */
    static long lentBytes() {
        long allocated = POOL.allocatedBytes();
        long free = 0;
        for (long size = NativeBufferPool.MIN_BUFFER_BYTES; size <= NativeBufferPool.MAX_BUFFER_BYTES; size <<= 1) {
            List<MemorySegment> taken = new ArrayList<>();
            try {
                for (;;) {
                    long before = POOL.allocatedBytes();
                    MemorySegment buffer = POOL.acquire(size);
                    taken.add(buffer);
                    if (POOL.allocatedBytes() != before) {
                        break; // none of this size was free: the pool allocated this one
                    }
                    free += buffer.byteSize();
                }
            } finally {
                taken.forEach(POOL::release);
            }
        }
        return allocated - free;
    }

    /**
     * The most the pool keeps free: per size, {@code clamp(4 MiB / size, 16, 256)} buffers, as
     * {@code NativeBufferPool}'s constructor sets (restated here; keep in step).
     */
    static long poolBoundBytes() {
        long bound = 0;
        for (long size = NativeBufferPool.MIN_BUFFER_BYTES; size <= NativeBufferPool.MAX_BUFFER_BYTES; size <<= 1) {
            bound += Math.clamp((4L << 20) / size, 16, 256) * size;
        }
        return bound;
    }

    static long allocatedBytes() {
        return POOL.allocatedBytes();
    }

    static long retiredBytes() {
        return POOL.retiredBytes();
    }
}
