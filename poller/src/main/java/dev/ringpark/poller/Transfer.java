package dev.ringpark.poller;

/**
 * {@code pread(2)} or {@code pwrite(2)} of one buffer of native memory on an open descriptor.
 * The memory must stay valid until the operation is done.
 */
public final class Transfer extends Operation {
    /** Which way the bytes go. */
    public enum Direction {
        /** From the file into memory. */
        READ,
        /** From memory into the file. */
        WRITE
    }

    /** The offset that means "the file position", or a stream's next bytes for a pipe. */
    public static final long AT_FILE_POSITION = -1;

    private final Direction direction;
    private final long address;
    private final int length;
    private final long offset;

    /**
     * @param handle    the descriptor
     * @param direction which way the bytes go
     * @param address   the native memory
     * @param length    how many bytes, at most
     * @param offset    where in the file, or {@link #AT_FILE_POSITION}
     */
    public Transfer(FileHandle handle, Direction direction, long address, int length, long offset) {
        super(handle);
        this.direction = direction;
        this.address = address;
        this.length = length;
        this.offset = offset;
    }

    public Direction direction() {
        return direction;
    }

    public long address() {
        return address;
    }

    public int length() {
        return length;
    }

    public long offset() {
        return offset;
    }

    @Override
    public String toString() {
        return direction + "(fd=" + handle().fd() + ", length=" + length + ", offset=" + offset + ")";
    }
}
