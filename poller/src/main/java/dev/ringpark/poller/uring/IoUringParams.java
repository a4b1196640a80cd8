package dev.ringpark.poller.uring;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code struct io_uring_params}, with its embedded {@code io_sqring_offsets} and
 * {@code io_cqring_offsets}.
 *
 * <pre>
 *   0          4          8       12             16              20         24      28      40
 *   +----------+----------+-------+--------------+---------------+----------+-------+-------+
 *   |sq_entries|cq_entries| flags |sq_thread_cpu |sq_thread_idle | features | wq_fd | resv  |
 *   +----------+----------+-------+--------------+---------------+----------+-------+-------+
 *   40: io_sqring_offsets  head tail ring_mask ring_entries flags dropped array resv1 user_addr(8)
 *   80: io_cqring_offsets  head tail ring_mask ring_entries overflow cqes flags resv1 user_addr(8)
 *  120
 * </pre>
 */
final class IoUringParams {
    static final long BYTES = 120;

    private static final long SQ_ENTRIES = 0;
    private static final long CQ_ENTRIES = 4;
    private static final long FLAGS = 8;
    private static final long FEATURES = 20;
    private static final long SQ_OFF = 40;
    private static final long CQ_OFF = 80;

    /** Offsets within io_sqring_offsets. */
    static final long SQ_HEAD = 0, SQ_TAIL = 4, SQ_RING_MASK = 8, SQ_RING_ENTRIES = 12, SQ_FLAGS = 16,
            SQ_DROPPED = 20, SQ_ARRAY = 24;
    /** Offsets within io_cqring_offsets. */
    static final long CQ_HEAD = 0, CQ_TAIL = 4, CQ_RING_MASK = 8, CQ_RING_ENTRIES = 12, CQ_OVERFLOW = 16,
            CQ_CQES = 20;

    private IoUringParams() {
    }

    static void setFlags(MemorySegment params, int flags) {
        params.set(JAVA_INT, FLAGS, flags);
    }

    static void setCqEntries(MemorySegment params, int entries) {
        params.set(JAVA_INT, CQ_ENTRIES, entries);
    }

    static int sqEntries(MemorySegment params) {
        return params.get(JAVA_INT, SQ_ENTRIES);
    }

    static int cqEntries(MemorySegment params) {
        return params.get(JAVA_INT, CQ_ENTRIES);
    }

    static int features(MemorySegment params) {
        return params.get(JAVA_INT, FEATURES);
    }

    /**
     * The bytes of the SQ ring mapping: up to the last word {@code sq_off} names (with an index array,
     * to its end). Without the array ({@code IORING_SETUP_NO_SQARRAY}) the kernel sets
     * {@code sq_off.array} to 0, and the words it lays out after {@code ring_entries} (the flags, the
     * dropped count) must still be covered.
     */
    static long sqRingBytes(MemorySegment params, boolean hasArray) {
        long end = 0;
        for (long field : new long[] {SQ_HEAD, SQ_TAIL, SQ_RING_MASK, SQ_RING_ENTRIES, SQ_FLAGS, SQ_DROPPED}) {
            end = Math.max(end, sqOffset(params, field) + 4L);
        }
        return hasArray ? Math.max(end, sqOffset(params, SQ_ARRAY) + 4L * sqEntries(params)) : end;
    }

    /** The bytes of the CQ ring mapping: up to the end of its {@code cqEntries} entries. */
    static long cqRingBytes(MemorySegment params, long entryBytes) {
        long end = cqOffset(params, CQ_CQES) + cqEntries(params) * entryBytes;
        for (long field : new long[] {CQ_HEAD, CQ_TAIL, CQ_RING_MASK, CQ_RING_ENTRIES, CQ_OVERFLOW}) {
            end = Math.max(end, cqOffset(params, field) + 4L);
        }
        return end;
    }

    /** A field of {@code sq_off}: an offset into the SQ ring mapping. */
    static int sqOffset(MemorySegment params, long field) {
        return params.get(JAVA_INT, SQ_OFF + field);
    }

    /** A field of {@code cq_off}: an offset into the CQ ring mapping. */
    static int cqOffset(MemorySegment params, long field) {
        return params.get(JAVA_INT, CQ_OFF + field);
    }
}
