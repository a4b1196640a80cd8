package dev.ringpark.poller.linux;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct timespec} (16 bytes on 64-bit Linux).
 *
 * <pre>
 *   0               8               16
 *   +---------------+---------------+
 *   |    tv_sec     |    tv_nsec    |
 *   +---------------+---------------+
 * </pre>
 */
public final class Timespec {
    public static final long BYTES = 16;
    /** The alignment of its 64-bit fields. */
    public static final long ALIGNMENT = 8;

    private static final long SECONDS_OFFSET = 0;
    private static final long NANOS_OFFSET = 8;

    private Timespec() {
    }

    /** Fills {@code timespec} with {@code nanos} nanoseconds from now or from zero, as the call reads it. */
    public static void set(MemorySegment timespec, long nanos) {
        timespec.set(JAVA_LONG, SECONDS_OFFSET, nanos / 1_000_000_000L);
        timespec.set(JAVA_LONG, NANOS_OFFSET, nanos % 1_000_000_000L);
    }
}
