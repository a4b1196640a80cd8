package dev.ringpark.poller.uring;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct io_uring_rsrc_update}, as {@code IORING_REGISTER_RING_FDS} takes it: which
 * descriptor to register, and the index the kernel gives it.
 *
 * <pre>
 *   0        4        8                16
 *   +--------+--------+----------------+
 *   | offset |  resv  |      data      |
 *   +--------+--------+----------------+
 * </pre>
 */
final class RsrcUpdate {
    static final long BYTES = 16;
    /** {@code offset} asking the kernel to pick a free index. */
    static final int ANY_OFFSET = -1;

    private static final long OFFSET = 0;
    private static final long RESV = 4;
    private static final long DATA = 8;

    private RsrcUpdate() {
    }

    static void set(MemorySegment update, int offset, long data) {
        update.set(JAVA_INT, OFFSET, offset);
        update.set(JAVA_INT, RESV, 0);
        update.set(JAVA_LONG, DATA, data);
    }

    /** The index the kernel registered the descriptor at. */
    static int offset(MemorySegment update) {
        return update.get(JAVA_INT, OFFSET);
    }
}
