package dev.ringpark.poller;

import dev.ringpark.poller.linux.Iovec;

import java.lang.foreign.MemorySegment;

/**
 * {@code preadv(2)} or {@code pwritev(2)} of several buffers of native memory on an open descriptor.
 * The buffers and the iovec array describing them must stay valid until the operation is done.
 */
public final class VectoredTransfer extends Operation {
    /** The most buffers one operation takes ({@code UIO_MAXIOV}); the rest of a longer array waits. */
    public static final int MAX_BUFFERS = Iovec.MAX_COUNT;

    private final Transfer.Direction direction;
    private final long iovecs;
    private final int count;
    private final long offset;

    /**
     * Describes {@code buffers} in {@code iovecMemory}, which must hold {@link #iovecBytes} of them.
     *
     * @param handle      the descriptor
     * @param direction   which way the bytes go
     * @param buffers     native memory, at most {@link #MAX_BUFFERS} segments
     * @param iovecMemory native memory for the iovec array the kernel reads
     * @param offset      where in the file, or {@link Transfer#AT_FILE_POSITION}
     */
    public VectoredTransfer(FileHandle handle, Transfer.Direction direction, MemorySegment[] buffers,
                            MemorySegment iovecMemory, long offset) {
        super(handle);
        if (buffers.length > MAX_BUFFERS) {
            throw new IllegalArgumentException("more than " + MAX_BUFFERS + " buffers: " + buffers.length);
        }
        for (int i = 0; i < buffers.length; i++) {
            Iovec.set(iovecMemory, i, buffers[i].address(), buffers[i].byteSize());
        }
        this.direction = direction;
        this.iovecs = iovecMemory.address();
        this.count = buffers.length;
        this.offset = offset;
    }

    /** The native bytes the iovec array of {@code buffers} buffers takes. */
    public static long iovecBytes(int buffers) {
        return buffers * Iovec.BYTES;
    }

    public Transfer.Direction direction() {
        return direction;
    }

    /** The address of the iovec array. */
    public long iovecs() {
        return iovecs;
    }

    /** How many buffers the iovec array describes. */
    public int count() {
        return count;
    }

    public long offset() {
        return offset;
    }

    @Override
    public String toString() {
        return direction + "V(fd=" + handle().fd() + ", buffers=" + count + ", offset=" + offset + ")";
    }
}
