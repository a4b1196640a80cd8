package dev.ringpark.poller;

/**
 * Bytes the kernel moves from one open descriptor to another without passing them through user
 * memory. Such an operation names no memory of the caller's, only its two descriptors, which must
 * both stay open until it is done ({@link FileHandle#enter} on each); a close of either handle
 * cancels it, as a close of the one handle cancels any other operation.
 */
public abstract sealed class KernelCopy extends Operation permits CopyRange, SendFile, Splice {
    private final FileHandle target;
    private final int length;

    /**
     * @param source where the bytes come from: {@link #handle()}
     * @param target where they go
     * @param length the most bytes to move
     */
    KernelCopy(FileHandle source, FileHandle target, int length) {
        super(source);
        this.target = target;
        this.length = length;
    }

    /** Where the bytes come from; the same as {@link #handle()}. */
    public final FileHandle source() {
        return handle();
    }

    /** Where the bytes go. */
    public final FileHandle target() {
        return target;
    }

    /** The most bytes to move. */
    public final int length() {
        return length;
    }

    @Override
    final boolean uses(FileHandle other) {
        return super.uses(other) || other == target;
    }

    @Override
    final boolean closing() {
        return super.closing() || target.isClosing();
    }
}
