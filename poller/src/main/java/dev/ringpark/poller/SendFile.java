package dev.ringpark.poller;

/**
 * {@code sendfile(2)} from a file at an explicit offset to the target's file position, which moves
 * past what was written: what the JDK falls back to when {@code copy_file_range} refuses a pair of
 * files (two file systems, a device). io_uring has no opcode for it; every driver runs it on a pool
 * thread. Only for targets whose writes take bounded time (files and block devices), since a
 * cancel stops it only before it starts.
 */
public final class SendFile extends KernelCopy {
    private final long sourceOffset;

    /**
     * @param source       the file read
     * @param sourceOffset where in it
     * @param target       written at its file position
     * @param length       the most bytes to send
     */
    public SendFile(FileHandle source, long sourceOffset, FileHandle target, int length) {
        super(source, target, length);
        this.sourceOffset = sourceOffset;
    }

    public long sourceOffset() {
        return sourceOffset;
    }

    @Override
    public String toString() {
        return "SENDFILE(fd=" + source().fd() + "@" + sourceOffset + " -> fd=" + target().fd() + ", length="
                + length() + ")";
    }
}
