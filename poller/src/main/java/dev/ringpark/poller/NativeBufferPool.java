package dev.ringpark.poller;

import dev.ringpark.poller.linux.LibC;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Native buffers for the kernel to read from and write into: bounce buffers for heap memory, and
 * scratch space (iovecs, paths, statx) for operations.
 *
 * <p>Buffers come in power-of-two sizes from {@value #MIN_BUFFER_BYTES} bytes to
 * {@value #MAX_BUFFER_BYTES}; buffers of 4 KiB and more are page-aligned, so they also serve
 * {@code O_DIRECT}. Each size keeps a bounded number of free buffers; what does not fit is freed.
 * A larger request gets a page-aligned buffer of its own (rounded up to whole pages), freed when
 * released: one transfer, however large, then needs one buffer, as the JDK's temporary buffers do.
 *
 * <p>Each size keeps its free buffers in stripes, one per CPU (rounded up to a power of two, at most
 * {@value #MAX_STRIPES}): a buffer is given back to the stripe of the CPU that releases it and taken
 * first from the stripe of the CPU that asks, then from the others. Callers on different CPUs then
 * rarely meet on one stack (each acquire and release is a CAS on its top), and a buffer tends to be
 * reused where its lines are cached: with one stack per size, two carriers streaming a file through
 * 16 KiB bounce buffers passed every buffer, and every stack top, from one CPU to the other at each
 * read. The CPU is a hint ({@link LibC#schedGetcpu}): a caller moved meanwhile only uses another
 * stripe, and each stripe is a lock-free stack of its own.
 *
 * <p>Contract: a buffer from {@link #acquire} belongs to its caller alone until the caller gives it
 * back, exactly once, with {@link #release} (the kernel is done with it) or {@link #retire} (the
 * kernel might still write into it: it is never reused nor freed). Thread-safe.
 */
public final class NativeBufferPool {
    public static final int MIN_BUFFER_BYTES = 64;
    /** The largest pooled buffer. */
    public static final int MAX_BUFFER_BYTES = 1 << 20;
    private static final int PAGE_BYTES = 4096;
    private static final int MIN_SHIFT = Integer.numberOfTrailingZeros(MIN_BUFFER_BYTES);
    private static final long POOLED_BYTES_PER_SIZE = 4L << 20;
    private static final int MAX_STRIPES = 64;
    private static final NativeBufferPool SHARED = new NativeBufferPool();

    /** Free buffers by size, then by stripe. */
    private final FreeBufferStack[][] free;
    private final int stripeMask;
    private final AtomicLong allocatedBytes = new AtomicLong();
    private final AtomicLong retiredBytes = new AtomicLong();
    private final LongAdder acquisitions = new LongAdder();

    /** The pool every channel uses. */
    public static NativeBufferPool shared() {
        return SHARED;
    }

    NativeBufferPool() {
        int stripes = Math.min(MAX_STRIPES, Integer.highestOneBit(2 * Runtime.getRuntime().availableProcessors() - 1));
        stripeMask = stripes - 1;
        int sizes = Integer.numberOfTrailingZeros(MAX_BUFFER_BYTES) - MIN_SHIFT + 1;
        free = new FreeBufferStack[sizes][stripes];
        for (int index = 0; index < sizes; index++) {
            long bytes = (long) MIN_BUFFER_BYTES << index;
            long kept = Math.clamp(POOLED_BYTES_PER_SIZE / bytes, 16, 256); // per size, over all stripes
            for (int stripe = 0; stripe < stripes; stripe++) {
                free[index][stripe] = new FreeBufferStack((int) Math.max(1, kept / stripes));
            }
        }
    }

    /**
     * A buffer of at least {@code bytes}: up to {@link #MAX_BUFFER_BYTES}, a pooled one of the power
     * of two at or above; beyond, one of its own, of whole pages.
     *
     * @throws IllegalArgumentException when {@code bytes} is negative
     * @throws OutOfMemoryError when the C allocator has no memory left
     */
    public MemorySegment acquire(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative buffer size: " + bytes);
        }
        acquisitions.increment();
        if (bytes > MAX_BUFFER_BYTES) {
            return allocate(PAGE_BYTES, (bytes + PAGE_BYTES - 1) & -PAGE_BYTES);
        }
        int index = sizeIndex(bytes);
        FreeBufferStack[] stripes = free[index];
        int home = homeStripe();
        for (int i = 0; i <= stripeMask; i++) {
            MemorySegment buffer = stripes[(home + i) & stripeMask].pop();
            if (buffer != null) {
                return buffer;
            }
        }
        long size = (long) MIN_BUFFER_BYTES << index;
        return allocate(Math.min(size, PAGE_BYTES), size);
    }

    private MemorySegment allocate(long alignment, long size) {
        MemorySegment buffer = LibC.alignedAlloc(alignment, size);
        if (buffer.equals(MemorySegment.NULL)) {
            throw new OutOfMemoryError("cannot allocate a native buffer of " + size + " bytes");
        }
        allocatedBytes.addAndGet(size);
        return buffer;
    }

    /** Gives back a buffer the kernel is done with. */
    public void release(MemorySegment buffer) {
        if (buffer.byteSize() > MAX_BUFFER_BYTES || !keep(free[sizeIndex(buffer.byteSize())], buffer)) {
            allocatedBytes.addAndGet(-buffer.byteSize());
            LibC.free(buffer);
        }
    }

    /** Keeps {@code buffer} in the caller's stripe, or the next with room; {@code false} when all are full. */
    private boolean keep(FreeBufferStack[] stripes, MemorySegment buffer) {
        int home = homeStripe();
        for (int i = 0; i <= stripeMask; i++) {
            if (stripes[(home + i) & stripeMask].push(buffer)) {
                return true;
            }
        }
        return false;
    }

    /** The stripe of the CPU the caller runs on (0 when the C library cannot say). */
    private int homeStripe() {
        return Math.max(0, LibC.schedGetcpu()) & stripeMask;
    }

    /** Gives up a buffer the kernel may still write into: it is never reused nor freed. */
    public void retire(MemorySegment buffer) {
        retiredBytes.addAndGet(buffer.byteSize());
    }

    /** Native bytes held by buffers in use or free in the pool, including retired ones. */
    public long allocatedBytes() {
        return allocatedBytes.get();
    }

    /** Buffers lent by {@link #acquire} so far (bounce buffers and scratch memory alike). */
    public long acquisitions() {
        return acquisitions.sum();
    }

    /** Native bytes given up by {@link #retire}. */
    public long retiredBytes() {
        return retiredBytes.get();
    }

    private static int sizeIndex(long bytes) {
        long size = Math.max(bytes, MIN_BUFFER_BYTES);
        return 64 - Long.numberOfLeadingZeros(size - 1) - MIN_SHIFT;
    }
}
