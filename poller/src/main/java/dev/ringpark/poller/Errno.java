package dev.ringpark.poller;

import dev.ringpark.poller.linux.LibC;

/**
 * The Linux error numbers Ringpark tells apart, with their symbolic names and the C library's text.
 * The values are the same on every Linux architecture Ringpark runs on (x86_64, aarch64).
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int EMFILE = 24;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int ESPIPE = 29;
    public static final int EROFS = 30;
    public static final int EPIPE = 32;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOSYS = 38;
    public static final int ELOOP = 40;
    public static final int ETIME = 62;
    public static final int EOPNOTSUPP = 95;
    public static final int EALREADY = 114;
    public static final int EDQUOT = 122;
    public static final int ECANCELED = 125;
    /**
     * The kernel's own "interrupted, restart the call" ({@code ERESTARTSYS}), never seen by a system
     * call's caller but posted as is by io_uring for a request whose io-wq worker a cancel interrupted
     * in a wait (a splice waiting on a pipe): the driver reports it as {@link #ECANCELED}.
     */
    public static final int ERESTARTSYS = 512;

    private static final int MAX_KNOWN = 133;
    private static final String[] MESSAGES = new String[MAX_KNOWN + 1];

    static {
        for (int errno = 0; errno <= MAX_KNOWN; errno++) {
            MESSAGES[errno] = LibC.strerror(errno);
        }
    }

    private Errno() {
    }

    /** The C library's text for {@code errno} ("No such file or directory"). */
    public static String message(int errno) {
        return errno >= 0 && errno <= MAX_KNOWN ? MESSAGES[errno] : "Unknown error " + errno;
    }

    /** The symbolic name of {@code errno} where Ringpark knows it ("ENOENT"), else "errno N". */
    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case EIO -> "EIO";
            case ENXIO -> "ENXIO";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case EXDEV -> "EXDEV";
            case ENOTDIR -> "ENOTDIR";
            case EISDIR -> "EISDIR";
            case EINVAL -> "EINVAL";
            case EMFILE -> "EMFILE";
            case EFBIG -> "EFBIG";
            case ENOSPC -> "ENOSPC";
            case ESPIPE -> "ESPIPE";
            case EROFS -> "EROFS";
            case EPIPE -> "EPIPE";
            case ENAMETOOLONG -> "ENAMETOOLONG";
            case ENOSYS -> "ENOSYS";
            case ELOOP -> "ELOOP";
            case ETIME -> "ETIME";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case EALREADY -> "EALREADY";
            case EDQUOT -> "EDQUOT";
            case ECANCELED -> "ECANCELED";
            case ERESTARTSYS -> "ERESTARTSYS";
            default -> "errno " + errno;
        };
    }

    /** "EACCES (Permission denied)": how Ringpark's messages name an error. */
    public static String describe(int errno) {
        return name(errno) + " (" + message(errno) + ")";
    }
}
