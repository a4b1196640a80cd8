package dev.ringpark.poller.linux;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct iovec}: one buffer of a vectored transfer.
 *
 * <pre>
 *   0               8               16
 *   +---------------+---------------+
 *   |   iov_base    |    iov_len    |
 *   +---------------+---------------+
 * </pre>
 */
public final class Iovec {
    public static final long BYTES = 16;
    private static final long BASE_OFFSET = 0;
    private static final long LENGTH_OFFSET = 8;

    /** Linux accepts at most this many iovecs in one call ({@code UIO_MAXIOV}). */
    public static final int MAX_COUNT = 1024;

    private Iovec() {
    }

    /** Writes entry {@code index} of the iovec array {@code iovecs}. */
    public static void set(MemorySegment iovecs, int index, long address, long length) {
        long entry = index * BYTES;
        iovecs.set(JAVA_LONG, entry + BASE_OFFSET, address);
        iovecs.set(JAVA_LONG, entry + LENGTH_OFFSET, length);
    }
}
