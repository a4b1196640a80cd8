package dev.ringpark.poller;

/** {@code posix_fadvise(2)}: how a range of the file will be used. */
public final class Advise extends Operation {
    private final long offset;
    private final long length;
    private final int advice;

    /**
     * @param offset where the range starts
     * @param length the range's length; 0 means "to the end of the file"
     * @param advice a {@code POSIX_FADV_} value
     */
    public Advise(FileHandle handle, long offset, long length, int advice) {
        super(handle);
        this.offset = offset;
        this.length = length;
        this.advice = advice;
    }

    public long offset() {
        return offset;
    }

    public long length() {
        return length;
    }

    public int advice() {
        return advice;
    }

    @Override
    public String toString() {
        return "FADVISE(fd=" + handle().fd() + ", offset=" + offset + ", length=" + length + ", advice=" + advice + ")";
    }
}
