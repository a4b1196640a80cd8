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
 *   48 .. 128: blocks, attributes_mask, atime, btime, ctime, mtime
 *   128          132          136         140         144          152
 *   +------------+------------+-----------+-----------+------------+ ...
 *   | rdev_major | rdev_minor | dev_major | dev_minor |   mnt_id   |
 *   +------------+------------+-----------+-----------+------------+ ...
 * </pre>
 */
public final class Statx {
    public static final long BYTES = 256;

    /** {@code STATX_TYPE}: what {@code fileType()} asks for. */
    public static final int MASK_TYPE = 0x1;
    /** {@code STATX_NLINK}: what {@code linkCount()} asks for. */
    public static final int MASK_NLINK = 0x4;
    /** {@code STATX_SIZE}: what {@code size()} asks for. */
    public static final int MASK_SIZE = 0x200;
    /** {@code STATX_MNT_ID} (Linux 5.8): what {@code mountId()} asks for. */
    public static final int MASK_MNT_ID = 0x1000;

    /** {@code S_IFIFO}: the {@link #fileType} of a FIFO. */
    public static final int TYPE_FIFO = 0x1000;
    /** {@code S_IFCHR}: the {@link #fileType} of a character device. */
    public static final int TYPE_CHARACTER_DEVICE = 0x2000;
    /** {@code S_IFDIR}: the {@link #fileType} of a directory. */
    public static final int TYPE_DIRECTORY = 0x4000;
    /** {@code S_IFBLK}: the {@link #fileType} of a block device. */
    public static final int TYPE_BLOCK_DEVICE = 0x6000;
    /** {@code S_IFREG}: the {@link #fileType} of a regular file. */
    public static final int TYPE_REGULAR = 0x8000;
    /** {@code S_IFLNK}: the {@link #fileType} of a symbolic link. */
    public static final int TYPE_SYMBOLIC_LINK = 0xA000;

    private static final long MASK_OFFSET = 0;
    private static final long NLINK_OFFSET = 16;
    private static final long MODE_OFFSET = 28;
    private static final int TYPE_MASK = 0xF000;
    private static final long SIZE_OFFSET = 40;
    private static final long DEV_MAJOR_OFFSET = 136;
    private static final long DEV_MINOR_OFFSET = 140;
    private static final long MNT_ID_OFFSET = 144;

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

    /** {@code stx_nlink}: the file's names; 0 once the last one is unlinked. */
    public static int linkCount(MemorySegment statx) {
        return statx.get(JAVA_INT, NLINK_OFFSET);
    }

    /** {@code stx_mask}: which of the fields asked for the kernel filled. */
    public static int filled(MemorySegment statx) {
        return statx.get(JAVA_INT, MASK_OFFSET);
    }

    /** {@code stx_mnt_id}: the mount's id, as {@code /proc/self/mountinfo} numbers it; valid if {@link #filled} has {@link #MASK_MNT_ID}. */
    public static long mountId(MemorySegment statx) {
        return statx.get(JAVA_LONG, MNT_ID_OFFSET);
    }

    /** {@code stx_dev_major}: the major number of the device the file system is on. */
    public static int deviceMajor(MemorySegment statx) {
        return statx.get(JAVA_INT, DEV_MAJOR_OFFSET);
    }

    /** {@code stx_dev_minor}: the minor number of the device the file system is on. */
    public static int deviceMinor(MemorySegment statx) {
        return statx.get(JAVA_INT, DEV_MINOR_OFFSET);
    }
}
