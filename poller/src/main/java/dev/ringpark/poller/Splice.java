package dev.ringpark.poller;

/**
 * {@code splice(2)} between a pipe (or FIFO) and a file, which never waits for the pipe: one call,
 * with {@code SPLICE_F_NONBLOCK}, which moves at most what the pipe holds or has room for, and answers
 * {@code -EAGAIN} when it holds nothing (with a writer left) or has no room. The caller then waits
 * with {@link AwaitReady}, which holds no thread on io_uring: a splice that waited for its pipe would
 * hold an io-wq worker for as long as it waited (measured: 100 transfers waiting on FIFOs, 101
 * {@code iou-wrk} threads), since io_uring runs every splice on a worker. The flag makes only the pipe
 * end non-blocking, for this call; no flag of the open file description changes.
 *
 * <p>Exactly one end is a {@linkplain FileHandle.IoMode#STREAM stream}, whose offset is
 * {@link #STREAM}; the file's offset is explicit and its file position does not move.
 */
public final class Splice extends KernelCopy {
    /** The offset of the pipe end: a stream has none. */
    public static final long STREAM = -1;

    private final long sourceOffset;
    private final long targetOffset;

    /**
     * @param source       where the bytes come from
     * @param sourceOffset where in the source, or {@link #STREAM} when the source is the pipe
     * @param target       where they go
     * @param targetOffset where in the target, or {@link #STREAM} when the target is the pipe
     * @param length       the most bytes to move
     */
    public Splice(FileHandle source, long sourceOffset, FileHandle target, long targetOffset, int length) {
        super(source, target, length);
        if ((sourceOffset == STREAM) == (targetOffset == STREAM)) {
            throw new IllegalArgumentException("a splice has exactly one stream end: " + sourceOffset + ", "
                    + targetOffset);
        }
        this.sourceOffset = sourceOffset;
        this.targetOffset = targetOffset;
    }

    public long sourceOffset() {
        return sourceOffset;
    }

    public long targetOffset() {
        return targetOffset;
    }

    /** Whether the source is the pipe (else the target is). */
    public boolean fromStream() {
        return sourceOffset == STREAM;
    }

    @Override
    public String toString() {
        return "SPLICE(fd=" + source().fd() + "@" + sourceOffset + " -> fd=" + target().fd() + "@" + targetOffset
                + ", length=" + length() + ")";
    }
}
