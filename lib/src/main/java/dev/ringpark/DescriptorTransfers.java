package dev.ringpark;

import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.Operation;
import dev.ringpark.poller.Operation.Kind;
import dev.ringpark.poller.Poller;
import dev.ringpark.poller.linux.Errno;
import dev.ringpark.poller.linux.Iovec;
import dev.ringpark.poller.linux.LibC;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;

/**
 * The bytes of one open descriptor moved through the poller: reads and writes of native and heap
 * memory, vectored forms, the page-cache fast path of buffered reads, and the mapping of results to
 * the JDK's exceptions. {@link RingFileChannel} makes the checks, holds the position and decides
 * where a transfer goes; this class moves the bytes.
 *
 * <p>Every method is called between the channel's {@code enterIo} and {@code exitIo}, so the
 * descriptor stays open throughout. One call is one operation, as the JDK makes one system call:
 * heap memory goes through one native buffer of the transfer's size.
 */
final class DescriptorTransfers {
    /** The offset that means "no explicit position": the file position, or a pipe's stream. */
    static final long RELATIVE = -1;
    /** The kernel transfers at most this much in one call ({@code MAX_RW_COUNT}). */
    static final int MAX_TRANSFER_BYTES = 0x7ffff000;
    private static final int RWF_NOWAIT = 0x8;
    private static final int FAST_PATH_NOT_TAKEN = Integer.MIN_VALUE;

    private final Poller poller;
    private final FileHandle handle;
    /** Whether the descriptor has a position (a file); {@code false} for a pipe. */
    private final boolean seekable;
    /** Whether an interrupt of the caller cancels its operation (else the operation completes). */
    private final boolean interruptible;
    /** Cleared for good once {@code preadv2(RWF_NOWAIT)} answers {@code EOPNOTSUPP} (tmpfs). */
    private volatile boolean fastReads;

    DescriptorTransfers(Poller poller, FileHandle handle, boolean seekable, boolean interruptible, boolean fastReads) {
        this.poller = poller;
        this.handle = handle;
        this.seekable = seekable;
        this.interruptible = interruptible;
        this.fastReads = fastReads;
    }

    /** Reads at {@code position} (-1: a pipe's stream); -1 at end of file. Inside enterIo/exitIo. */
    int readAt(MemorySegment dst, long position) throws IOException {
        if (dst.byteSize() == 0) {
            return 0;
        }
        int n = dst.isNative()
                ? readNative(dst.address(), (int) Math.min(dst.byteSize(), MAX_TRANSFER_BYTES), position, null)
                : readHeap(dst, position);
        return n == 0 ? -1 : n;
    }

    /** Reads into heap memory through one native buffer of its size, as the JDK does. */
    private int readHeap(MemorySegment dst, long position) throws IOException {
        int wanted = (int) Math.min(dst.byteSize(), MAX_TRANSFER_BYTES);
        try (Lease bounce = Lease.of(wanted)) {
            int n = readNative(bounce.address(), wanted, position, bounce);
            MemorySegment.copy(bounce.segment(), 0, dst, 0, n);
            return n;
        }
    }

    /**
     * One read into native memory, through the page-cache fast path when it can answer. A positional
     * read the fast path answered only in part is finished through the poller; a pipe's read returns
     * what it got, as {@code read(2)} does.
     */
    int readNative(long address, int length, long position, Lease memory) throws IOException {
        int fast = fastReads ? tryFastRead(address, length, position) : FAST_PATH_NOT_TAKEN;
        if (fast == FAST_PATH_NOT_TAKEN) {
            return transfer(Kind.READ, address, length, position, memory);
        }
        if (fast < 0) {
            throw IoExceptions.forChannel(-fast);
        }
        if (fast == 0 || fast == length || position < 0) {
            return fast;
        }
        return fast + remainder(() -> transfer(Kind.READ, address + fast, length - fast, position + fast, memory));
    }

    /** Moves the rest of a transfer of which some bytes already moved. */
    @FunctionalInterface
    private interface Remainder {
        int transfer() throws IOException;
    }

    /**
     * The bytes the rest of a transfer moved, or 0 when a close stopped it: the call then returns
     * what it had moved, as the JDK's returns a transfer that completed in part.
     */
    private static int remainder(Remainder rest) throws IOException {
        try {
            return rest.transfer();
        } catch (AsynchronousCloseException closed) {
            return 0;
        }
    }

    /** {@code preadv2(RWF_NOWAIT)} on this thread: bytes read, {@code -errno}, or FAST_PATH_NOT_TAKEN. */
    private int tryFastRead(long address, int length, long position) {
        try (Lease scratch = Lease.of(Iovec.BYTES + LibC.CALL_STATE_BYTES)) {
            MemorySegment iovec = scratch.segment();
            Iovec.set(iovec, 0, address, length);
            long n = LibC.preadv2(iovec.asSlice(Iovec.BYTES), handle.fd(), iovec, 1, position, RWF_NOWAIT);
            if (n == -Errno.EAGAIN) {
                return FAST_PATH_NOT_TAKEN;
            }
            if (n == -Errno.EOPNOTSUPP) {
                fastReads = false;
                return FAST_PATH_NOT_TAKEN;
            }
            return (int) n;
        }
    }

    long readVectored(ByteBuffer[] buffers, long position) throws IOException {
        if (Vectored.remaining(buffers) == 0) {
            return 0;
        }
        long n = transferVectored(Kind.READV, buffers, position);
        if (n == 0) {
            return -1;
        }
        Vectored.advance(buffers, n);
        return n;
    }

    long readScattered(ByteBuffer[] buffers, long position) throws IOException {
        long wanted = Math.min(Vectored.remaining(buffers), MAX_TRANSFER_BYTES);
        if (wanted == 0) {
            return 0;
        }
        try (Lease bounce = Lease.of(wanted)) {
            int n = readNative(bounce.address(), (int) wanted, position, bounce);
            if (n == 0) {
                return -1;
            }
            Vectored.scatter(bounce.segment(), n, buffers);
            return n;
        }
    }

    /** Writes at {@code position} (-1: the end in append mode, or a pipe's stream). */
    int writeAt(MemorySegment src, long position) throws IOException {
        int wanted = (int) Math.min(src.byteSize(), MAX_TRANSFER_BYTES);
        if (wanted == 0) {
            return 0;
        }
        if (src.isNative()) {
            return writeNative(src.address(), wanted, position, null);
        }
        try (Lease bounce = Lease.of(wanted)) {
            MemorySegment.copy(src, 0, bounce.segment(), 0, wanted);
            return writeNative(bounce.address(), wanted, position, bounce);
        }
    }

    /**
     * One write of native memory. To a pipe it is repeated until everything is written, as a
     * blocking {@code write(2)} does; to a file a short count is returned as the kernel gave it.
     */
    int writeNative(long address, int length, long position, Lease memory) throws IOException {
        int total = transfer(Kind.WRITE, address, length, position, memory);
        while (!seekable && total < length) {
            int written = total;
            int more = remainder(() -> transfer(Kind.WRITE, address + written, length - written, RELATIVE, memory));
            if (more == 0) {
                break;
            }
            total += more;
        }
        return total;
    }

    long writeVectored(ByteBuffer[] buffers, long position) throws IOException {
        if (Vectored.remaining(buffers) == 0) {
            return 0;
        }
        long n = transferVectored(Kind.WRITEV, buffers, position);
        Vectored.advance(buffers, n);
        return n;
    }

    long writeGathered(ByteBuffer[] buffers, long position) throws IOException {
        int wanted = (int) Math.min(Vectored.remaining(buffers), MAX_TRANSFER_BYTES);
        if (wanted == 0) {
            return 0;
        }
        try (Lease bounce = Lease.of(wanted)) {
            Vectored.gather(buffers, bounce.segment(), wanted);
            int n = writeNative(bounce.address(), wanted, position, bounce);
            Vectored.advance(buffers, n);
            return n;
        }
    }

    /** Reads or writes native memory through the poller; returns the bytes moved. */
    private int transfer(Kind kind, long address, int length, long position, Lease memory) throws IOException {
        return run(Operation.onFile(kind, handle, address, length, position), memory);
    }

    private long transferVectored(Kind kind, ByteBuffer[] buffers, long position) throws IOException {
        int count = Math.min(buffers.length, Iovec.MAX_COUNT);
        try (Lease iovecs = Lease.of(Math.max(count, 1) * Iovec.BYTES)) {
            for (int i = 0; i < count; i++) {
                MemorySegment buffer = MemorySegment.ofBuffer(buffers[i]);
                Iovec.set(iovecs.segment(), i, buffer.address(), buffer.byteSize());
            }
            return run(Operation.onFile(kind, handle, iovecs.address(), count, position), iovecs);
        }
    }

    /**
     * Hands {@code operation} to the poller and parks until it completes; {@code memory} is the
     * pooled buffer it names, if any (see {@link Lease#execute}).
     *
     * @return the raw result: what the system call returned, or {@code -errno}
     */
    private int execute(Operation operation, Lease memory) throws IOException {
        return memory == null ? poller.execute(operation, interruptible)
                : memory.execute(poller, operation, interruptible);
    }

    /** Runs {@code operation} (naming {@code memory}, if given) and checks its result. */
    int run(Operation operation, Lease memory) throws IOException {
        return checkResult(execute(operation, memory));
    }

    /** Turns a negative result into the exception the JDK throws; returns a non-negative one. */
    int checkResult(int result) throws IOException {
        if (result >= 0) {
            return result;
        }
        if (result == -Errno.ECANCELED && handle.isClosing()) {
            throw new AsynchronousCloseException();
        }
        throw IoExceptions.forChannel(-result);
    }
}
