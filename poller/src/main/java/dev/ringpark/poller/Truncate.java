package dev.ringpark.poller;

/** {@code ftruncate(2)}: the file's size becomes {@link #length()}. */
public final class Truncate extends Operation {
    private final long length;

    public Truncate(FileHandle handle, long length) {
        super(handle);
        this.length = length;
    }

    public long length() {
        return length;
    }

    @Override
    public String toString() {
        return "TRUNCATE(fd=" + handle().fd() + ", length=" + length + ")";
    }
}
