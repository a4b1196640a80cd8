package dev.ringpark.poller.linux;

import java.lang.foreign.MemorySegment;

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

    /** {@code STATX_TYPE}: what {@code fileType()} asks for. */
    public static final int MASK_TYPE = 0x1;
    /** {@code STATX_SIZE}: what {@code size()} asks for. */
    public static final int MASK_SIZE = 0x200;

    /** {@code S_IFIFO}: the {@link #fileType} of a FIFO. */
    public static final int TYPE_FIFO = 0x1000;
    /** {@code S_IFDIR}: the {@link #fileType} of a directory. */
    public static final int TYPE_DIRECTORY = 0x4000;
    /** {@code S_IFREG}: the {@link #fileType} of a regular file. */
    public static final int TYPE_REGULAR = 0x8000;
    /** {@code S_IFLNK}: the {@link #fileType} of a symbolic link. */
    public static final int TYPE_SYMBOLIC_LINK = 0xA000;

    private static final long MODE_OFFSET = 28;
    private static final int TYPE_MASK = 0xF000;
    private static final long SIZE_OFFSET = 40;

    private Statx() {
    }

    /** The file type bits of {@code stx_mode} ({@code S_IFMT}): one of the {@code TYPE_} constants, or another. */
    public static int fileType(MemorySegment statx) {
        return statx.get(JAVA_SHORT, MODE_OFFSET) & TYPE_MASK;
    }

    /** {@code stx_size}. */
    public static long size(MemorySegment statx) {
        return statx.get(JAVA_LONG, SIZE_OFFSET);
    }
}
