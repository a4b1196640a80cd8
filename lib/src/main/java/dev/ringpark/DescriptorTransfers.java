package dev.ringpark;

import dev.ringpark.poller.CallerCalls;
import dev.ringpark.poller.Errno;
import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.Transfer.Direction;
import dev.ringpark.poller.Transfer;
import dev.ringpark.poller.VectoredTransfer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.InterruptedByTimeoutException;

/**
 * The bytes of one open descriptor moved through the poller: reads and writes of native and heap
 * memory, vectored forms, the page-cache fast path of buffered reads, and the mapping of results to
 * the JDK's exceptions. {@link RingFileChannel} makes the checks, holds the position and decides
 * where a transfer goes; this class moves the bytes.
 *
 * <p>Every method is called inside the channel's {@link CallGate}, so the
 * descriptor stays open throughout. One call is one operation, as the JDK makes one system call:
 * heap memory goes through one native buffer of the transfer's size.
 *
 * <p>Each transfer runs under a {@link Deadline} ({@link Deadline#NONE} for the JDK's methods). A
 * transfer that had moved bytes before it was stopped (a close, a deadline, an interrupt that cancels
 * calls) returns their count, as a short read or write: the bytes moved are never hidden behind an
 * exception.
 */
final class DescriptorTransfers {
    /** The offset that means "no explicit position": the file position, or a pipe's stream. */
    static final long RELATIVE = Transfer.AT_FILE_POSITION;
    /** The kernel transfers at most this much in one call ({@code MAX_RW_COUNT}). */
    static final int MAX_TRANSFER_BYTES = 0x7ffff000;

    private final DescriptorOperations operations;
    private final FileHandle handle;
    /** Whether the descriptor has a position (a file); {@code false} for a pipe. */
    private final boolean seekable;
    /**
     * Whether buffered reads try the page cache first ({@link CallerCalls#readCached}). Off from the
     * start on file systems known to refuse {@code RWF_NOWAIT} (tmpfs), and for good once this
     * descriptor's file system answers {@code EOPNOTSUPP}: either way for this channel only.
     */
    private volatile boolean fastReads;

    /** @param fastReads whether buffered reads may try the page cache first (a buffered file, fast path on) */
    DescriptorTransfers(DescriptorOperations operations, boolean seekable, boolean fastReads) {
        this.operations = operations;
        this.handle = operations.handle();
        this.seekable = seekable;
        this.fastReads = fastReads && handle.fileSystem().nowaitReads();
    }

    /** Whether buffered reads still try the page cache first. */
    boolean fastReads() {
        return fastReads;
    }

    /** Reads at {@code position} (-1: a pipe's stream); -1 at end of file. Inside the channel's gate. */
    int readAt(MemorySegment dst, long position, Deadline deadline) throws IOException {
        if (dst.byteSize() == 0) {
            return 0;
        }
        int n = dst.isNative()
                ? readNative(dst.address(), (int) Math.min(dst.byteSize(), MAX_TRANSFER_BYTES), position, null,
                deadline)
                : readHeap(dst, position, deadline);
        return n == 0 ? -1 : n;
    }

    /** Reads into heap memory through one native buffer of its size, as the JDK does. */
    private int readHeap(MemorySegment dst, long position, Deadline deadline) throws IOException {
        int wanted = (int) Math.min(dst.byteSize(), MAX_TRANSFER_BYTES);
        try (Lease bounce = Lease.of(wanted)) {
            int n = readNative(bounce.address(), wanted, position, bounce, deadline);
            MemorySegment.copy(bounce.segment(), 0, dst, 0, n);
            return n;
        }
    }

    /**
     * One read into native memory, through the page-cache fast path when it can answer. A positional
     * read the fast path answered only in part asks the page cache again for the rest: a short answer
     * means either the end of the file (the second answer is 0, and the read returns what it has, as
     * {@code pread(2)} does) or pages that are not cached (the second answer is {@code EAGAIN}, and the
     * rest goes through the poller, so that the read returns as much as a blocking {@code pread}
     * would). A whole-file read into a larger buffer thus never leaves the caller. A pipe's read
     * returns what it got, as {@code read(2)} does.
     */
    int readNative(long address, int length, long position, Lease memory, Deadline deadline) throws IOException {
        if (!fastReads) {
            return transfer(Direction.READ, address, length, position, memory, deadline);
        }
        int done = 0;
        for (;;) {
            int fast = tryFastRead(address + done, length - done, position + done);
            if (fast == CallerCalls.WOULD_WAIT) {
                if (done == 0) {
                    return transfer(Direction.READ, address, length, position, memory, deadline);
                }
                int moved = done;
                return moved + remainder(() -> transfer(Direction.READ, address + moved, length - moved,
                        position + moved, memory, deadline));
            }
            if (fast < 0) {
                if (done == 0) {
                    throw IoExceptions.forChannel(-fast);
                }
                return done; // a short read; the next read meets the error, as read(2) would report it
            }
            done += fast;
            if (fast == 0 || done == length || position < 0) {
                return done;
            }
        }
    }

    /** Moves the rest of a transfer of which some bytes already moved. */
    @FunctionalInterface
    private interface Remainder {
        int transfer() throws IOException;
    }

    /**
     * The bytes the rest of a transfer moved, or 0 when a close, its deadline or an interrupt that
     * cancels calls stopped it: the call then returns what it had moved, as the JDK's returns a
     * transfer that completed in part.
     */
    private static int remainder(Remainder rest) throws IOException {
        try {
            return rest.transfer();
        } catch (AsynchronousCloseException | InterruptedByTimeoutException | InterruptedIOException stopped) {
            return 0;
        }
    }

    /** The page cache's answer on this thread: bytes read, {@code -errno}, or {@link CallerCalls#WOULD_WAIT}. */
    private int tryFastRead(long address, int length, long position) {
        int n = CallerCalls.readCached(handle.fd(), address, length, position);
        if (n == -Errno.EOPNOTSUPP) {
            fastReads = false;
            return CallerCalls.WOULD_WAIT;
        }
        return n;
    }

    long readVectored(ByteBuffer[] buffers, long position, Deadline deadline) throws IOException {
        if (Vectored.remaining(buffers) == 0) {
            return 0;
        }
        long n = transferVectored(Direction.READ, buffers, position, deadline);
        if (n == 0) {
            return -1;
        }
        Vectored.advance(buffers, n);
        return n;
    }

    long readScattered(ByteBuffer[] buffers, long position, Deadline deadline) throws IOException {
        long wanted = Math.min(Vectored.remaining(buffers), MAX_TRANSFER_BYTES);
        if (wanted == 0) {
            return 0;
        }
        try (Lease bounce = Lease.of(wanted)) {
            int n = readNative(bounce.address(), (int) wanted, position, bounce, deadline);
            if (n == 0) {
                return -1;
            }
            Vectored.scatter(bounce.segment(), n, buffers);
            return n;
        }
    }

    /** Writes at {@code position} (-1: the end in append mode, or a pipe's stream). */
    int writeAt(MemorySegment src, long position, Deadline deadline) throws IOException {
        int wanted = (int) Math.min(src.byteSize(), MAX_TRANSFER_BYTES);
        if (wanted == 0) {
            return 0;
        }
        if (src.isNative()) {
            return writeNative(src.address(), wanted, position, null, deadline);
        }
        try (Lease bounce = Lease.of(wanted)) {
            MemorySegment.copy(src, 0, bounce.segment(), 0, wanted);
            return writeNative(bounce.address(), wanted, position, bounce, deadline);
        }
    }

    /**
     * One write of native memory. To a pipe it is repeated until everything is written, as a
     * blocking {@code write(2)} does; to a file a short count is returned as the kernel gave it.
     */
    int writeNative(long address, int length, long position, Lease memory, Deadline deadline) throws IOException {
        int total = transfer(Direction.WRITE, address, length, position, memory, deadline);
        while (!seekable && total < length) {
            int written = total;
            int more = remainder(() -> transfer(Direction.WRITE, address + written, length - written, RELATIVE, memory,
                    deadline));
            if (more == 0) {
                break;
            }
            total += more;
        }
        return total;
    }

    long writeVectored(ByteBuffer[] buffers, long position, Deadline deadline) throws IOException {
        if (Vectored.remaining(buffers) == 0) {
            return 0;
        }
        long n = transferVectored(Direction.WRITE, buffers, position, deadline);
        Vectored.advance(buffers, n);
        return n;
    }

    long writeGathered(ByteBuffer[] buffers, long position, Deadline deadline) throws IOException {
        int wanted = (int) Math.min(Vectored.remaining(buffers), MAX_TRANSFER_BYTES);
        if (wanted == 0) {
            return 0;
        }
        try (Lease bounce = Lease.of(wanted)) {
            Vectored.gather(buffers, bounce.segment(), wanted);
            int n = writeNative(bounce.address(), wanted, position, bounce, deadline);
            Vectored.advance(buffers, n);
            return n;
        }
    }

    /** Reads or writes native memory through the poller; returns the bytes moved. */
    private int transfer(Direction direction, long address, int length, long position, Lease memory,
                         Deadline deadline) throws IOException {
        return operations.run(new Transfer(handle, direction, address, length, position), memory, deadline);
    }

    /** One vectored transfer of the first {@link VectoredTransfer#MAX_BUFFERS} direct buffers. */
    private long transferVectored(Direction direction, ByteBuffer[] buffers, long position, Deadline deadline)
            throws IOException {
        int count = Math.min(buffers.length, VectoredTransfer.MAX_BUFFERS);
        MemorySegment[] segments = new MemorySegment[count];
        for (int i = 0; i < count; i++) {
            segments[i] = MemorySegment.ofBuffer(buffers[i]);
        }
        try (Lease iovecs = Lease.of(VectoredTransfer.iovecBytes(Math.max(count, 1)))) {
            return operations.run(new VectoredTransfer(handle, direction, segments, iovecs.segment(), position), iovecs,
                    deadline);
        }
    }
}
