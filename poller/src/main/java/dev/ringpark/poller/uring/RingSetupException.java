package dev.ringpark.poller.uring;

import dev.ringpark.poller.Errno;
import dev.ringpark.poller.linux.Sysctl;

/** io_uring could not be set up here; {@link #errno()} says why ({@code EPERM}, {@code ENOSYS}, ...). */
public final class RingSetupException extends Exception {
    private static final long serialVersionUID = 1L;

    private static final String DISABLED = "kernel.io_uring_disabled";

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

    private static boolean disabledBySysctl() {
        String disabled = Sysctl.read(DISABLED);
        return !disabled.equals("0") && !disabled.equals("unknown");
    }

    private static String hint(int errno) {
        return switch (errno) {
            case Errno.EPERM -> disabledBySysctl() ? ", kernel.io_uring_disabled is " + Sysctl.read(DISABLED)
                    : ", blocked by a seccomp profile (kernel.io_uring_disabled is " + Sysctl.read(DISABLED) + ")";
            case Errno.ENOSYS -> ", the kernel has no io_uring";
            case Errno.EACCES -> ", denied by a security module";
            case Errno.ENOMEM -> ", the memlock limit is too low for the ring";
            default -> "";
        };
    }
}
