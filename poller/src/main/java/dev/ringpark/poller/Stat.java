package dev.ringpark.poller;

import dev.ringpark.poller.linux.Statx;

import java.lang.foreign.MemorySegment;

/**
 * {@code statx(fd, "", AT_EMPTY_PATH, STATX_SIZE, buffer)} of an open descriptor, through the poller:
 * for file systems where asking may wait (a remote one revalidates its attributes).
 */
public final class Stat extends Operation {
    /** The native bytes the kernel fills. */
    public static final long BUFFER_BYTES = Statx.BYTES;

    private final MemorySegment buffer;

    /** @param buffer at least {@link #BUFFER_BYTES} of native memory, valid until the operation is done */
    public Stat(FileHandle handle, MemorySegment buffer) {
        super(handle);
        this.buffer = buffer;
    }

    /** The address of the buffer the kernel fills. */
    public long buffer() {
        return buffer.address();
    }

    /** What the kernel is asked for: the size. */
    public int mask() {
        return Statx.MASK_SIZE;
    }

    /** The file's size, once the operation is done and answered 0. */
    public long size() {
        return Statx.size(buffer);
    }

    @Override
    public String toString() {
        return "STATX(fd=" + handle().fd() + ")";
    }
}
