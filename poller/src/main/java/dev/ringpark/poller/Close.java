package dev.ringpark.poller;

/**
 * {@code close(fd)}: not gated by a handle, since it is what a handle's close ends with, and not
 * cancelled by an interrupt, which would leak the descriptor.
 */
public final class Close extends Operation {
    private final int fd;

    public Close(int fd) {
        super(null);
        this.fd = fd;
    }

    public int fd() {
        return fd;
    }

    @Override
    boolean cancellable() {
        return false;
    }

    @Override
    public String toString() {
        return "CLOSE(fd=" + fd + ")";
    }
}
