package dev.ringpark.poller.linux;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct statvfs} as glibc lays it out on 64-bit Linux (112 bytes), the field Ringpark reads.
 *
 * <pre>
 *   0          8          16         24 ...                                        112
 *   +----------+----------+----------+--- blocks, files, fsid, flag, namemax ... ---+
 *   | f_bsize  | f_frsize | f_blocks |                                               |
 *   +----------+----------+----------+-----------------------------------------------+
 * </pre>
 */
public final class Statvfs {
    public static final long BYTES = 112;

    private static final long FRSIZE_OFFSET = 8;

    private Statvfs() {
    }

    /** {@code f_frsize}: the fragment size, which the JDK takes as the O_DIRECT block size. */
    public static long fragmentSize(MemorySegment statvfs) {
        return statvfs.get(JAVA_LONG, FRSIZE_OFFSET);
    }
}
