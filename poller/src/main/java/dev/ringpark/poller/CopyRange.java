package dev.ringpark.poller;

/**
 * {@code copy_file_range(2)} between two files at explicit offsets: the kernel copies in the page
 * cache (or shares the extents, on file systems that can), and neither descriptor's file position
 * moves. io_uring has no opcode for it; every driver runs it on a pool thread, where it takes
 * bounded time (both ends are files), so a cancel stops it only before it starts.
 */
public final class CopyRange extends KernelCopy {
    private final long sourceOffset;
    private final long targetOffset;

    /**
     * @param source       the file read
     * @param sourceOffset where in it
     * @param target       the file written
     * @param targetOffset where in it
     * @param length       the most bytes to copy
     */
    public CopyRange(FileHandle source, long sourceOffset, FileHandle target, long targetOffset, int length) {
        super(source, target, length);
        this.sourceOffset = sourceOffset;
        this.targetOffset = targetOffset;
    }

    public long sourceOffset() {
        return sourceOffset;
    }

    public long targetOffset() {
        return targetOffset;
    }

    @Override
    public String toString() {
        return "COPY_FILE_RANGE(fd=" + source().fd() + "@" + sourceOffset + " -> fd=" + target().fd() + "@"
                + targetOffset + ", length=" + length() + ")";
    }
}
