package dev.ringpark.poller.linux;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct statx}, the fields Ringpark reads. The kernel fills {@value #BYTES} bytes.
 *
 * <pre>
 *   0        4          8              16       20    24    28     30       32       40       48
 *   +--------+----------+--------------+--------+-----+-----+------+--------+--------+--------+ ...
 *   |  mask  | blksize  |  attributes  | nlink  | uid | gid | mode | spare  |  ino   |  size  |
 *   +--------+----------+--------------+--------+-----+-----+------+--------+--------+--------+ ...
 * </pre>
 */
public final class Statx {
    public static final long BYTES = 256;

    /** {@code STATX_SIZE}: what {@code size()} asks for. */
    public static final int MASK_SIZE = 0x200;

    private static final long SIZE_OFFSET = 40;

    private Statx() {
    }

    /** {@code stx_size}. */
    public static long size(MemorySegment statx) {
        return statx.get(JAVA_LONG, SIZE_OFFSET);
    }
}
