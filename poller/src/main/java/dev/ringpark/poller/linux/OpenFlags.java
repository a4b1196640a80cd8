package dev.ringpark.poller.linux;

/**
 * {@code open(2)} flags. Most are the same everywhere; those that differ between x86_64 and aarch64
 * are chosen from {@code os.arch} once.
 */
public final class OpenFlags {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 0x1;
    public static final int O_RDWR = 0x2;
    public static final int O_CREAT = 0x40;
    public static final int O_EXCL = 0x80;
    public static final int O_TRUNC = 0x200;
    public static final int O_APPEND = 0x400;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_DSYNC = 0x1000;
    public static final int O_SYNC = 0x101000;
    public static final int O_CLOEXEC = 0x80000;
    /** Opens the path itself, not the file: never waits, never counts as a FIFO's reader or writer. */
    public static final int O_PATH = 0x200000;

    private static final boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));

    public static final int O_DIRECT = AARCH64 ? 0x10000 : 0x4000;
    public static final int O_NOFOLLOW = AARCH64 ? 0x8000 : 0x20000;
    /** Fails with {@code ENOTDIR} unless the path names a directory. */
    public static final int O_DIRECTORY = AARCH64 ? 0x4000 : 0x10000;

    /** Directory descriptor meaning "relative to the current directory" in the {@code *at} calls. */
    public static final int AT_FDCWD = -100;
    /** {@code *at} flag: operate on the descriptor itself when the path is empty. */
    public static final int AT_EMPTY_PATH = 0x1000;
    /** {@code statx} flag: answer from the attributes held locally, without asking a remote file system. */
    public static final int AT_STATX_DONT_SYNC = 0x4000;

    private OpenFlags() {
    }
}
