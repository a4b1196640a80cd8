package dev.ringpark.poller.linux;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct open_how}: what {@code openat2(2)} opens and how it resolves the path.
 *
 * <pre>
 *   0               8               16              24
 *   +---------------+---------------+---------------+
 *   |     flags     |     mode      |    resolve    |
 *   +---------------+---------------+---------------+
 * </pre>
 */
public final class OpenHow {
    public static final long BYTES = 24;
    /** {@code resolve} flag: fail with {@code EAGAIN} rather than look up a path the caches do not hold. */
    public static final long RESOLVE_CACHED = 0x20;

    private static final long FLAGS_OFFSET = 0;
    private static final long MODE_OFFSET = 8;
    private static final long RESOLVE_OFFSET = 16;

    private OpenHow() {
    }

    /** Fills {@code how}. */
    public static void set(MemorySegment how, long flags, long mode, long resolve) {
        how.set(JAVA_LONG, FLAGS_OFFSET, flags);
        how.set(JAVA_LONG, MODE_OFFSET, mode);
        how.set(JAVA_LONG, RESOLVE_OFFSET, resolve);
    }
}
