package dev.ringpark.poller.linux;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

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
    public static final long ALIGNMENT = 8;

    /** {@code STATX_TYPE | STATX_SIZE}: what {@code size()} asks for. */
    public static final int MASK_TYPE_AND_SIZE = 0x1 | 0x200;

    private static final long MASK_OFFSET = 0;
    private static final long MODE_OFFSET = 28;
    private static final long SIZE_OFFSET = 40;
    private static final int S_IFMT = 0xF000;
    private static final int S_IFREG = 0x8000;

    private Statx() {
    }

    /** {@code stx_mask}: which fields the kernel filled. */
    public static int mask(MemorySegment statx) {
        return statx.get(JAVA_INT, MASK_OFFSET);
    }

    /** {@code stx_size}. */
    public static long size(MemorySegment statx) {
        return statx.get(JAVA_LONG, SIZE_OFFSET);
    }

    /** Whether {@code stx_mode} says a regular file. */
    public static boolean isRegularFile(MemorySegment statx) {
        return (statx.get(JAVA_SHORT, MODE_OFFSET) & S_IFMT) == S_IFREG;
    }
}
