package dev.ringpark.poller;

/**
 * Waits until a stream (a pipe or FIFO) can be read or written without waiting: {@code poll(2)}, as
 * {@code IORING_OP_POLL_ADD} on io_uring, which waits without holding a worker thread. A
 * {@link Splice}, which never waits for its pipe, is made after it. The result is the events the
 * stream has ({@code POLLHUP} and {@code POLLERR} included, which the splice after it reports).
 *
 * <p>The wait is part of a transfer between the stream and a {@linkplain #partner() file}: a close of
 * either handle cancels it, as it would cancel the splice.
 */
public final class AwaitReady extends Operation {
    /** What the stream must be ready for. */
    public enum Event {
        /** Bytes to read, or no writer left. */
        READABLE,
        /** Room to write, or no reader left. */
        WRITABLE
    }

    private final Event event;
    private final FileHandle partner;

    /**
     * @param stream  the pipe end
     * @param event   what it must be ready for
     * @param partner the other descriptor of the transfer the wait is part of
     */
    public AwaitReady(FileHandle stream, Event event, FileHandle partner) {
        super(stream);
        this.event = event;
        this.partner = partner;
    }

    public Event event() {
        return event;
    }

    /** The other descriptor of the transfer: its close ends the wait too. */
    public FileHandle partner() {
        return partner;
    }

    @Override
    boolean uses(FileHandle other) {
        return super.uses(other) || other == partner;
    }

    @Override
    boolean closing() {
        return super.closing() || partner.isClosing();
    }

    @Override
    public String toString() {
        return "POLL(fd=" + handle().fd() + ", " + event + ", for fd=" + partner.fd() + ")";
    }
}
