package dev.ringpark.poller.uring;

import dev.ringpark.poller.linux.Errno;

/** io_uring could not be set up here; {@link #errno()} says why ({@code EPERM}, {@code ENOSYS}, ...). */
public final class RingSetupException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int errno;

    RingSetupException(int errno) {
        this(errno, "io_uring_setup failed");
    }

    RingSetupException(int errno, String what) {
        super(what + ": " + Errno.describe(errno) + hint(errno));
        this.errno = errno;
    }

    /** The error number that stopped setup. */
    public int errno() {
        return errno;
    }

    private static String hint(int errno) {
        return switch (errno) {
            case Errno.EPERM -> ", blocked by a seccomp profile or kernel.io_uring_disabled";
            case Errno.ENOSYS -> ", the kernel has no io_uring";
            case Errno.EACCES -> ", denied by a security module";
            case Errno.ENOMEM -> ", the memlock limit is too low for the ring";
            default -> "";
        };
    }
}
