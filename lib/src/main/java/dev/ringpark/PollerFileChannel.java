package dev.ringpark;

import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.Poller;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

import static dev.ringpark.TransferChecks.Direction;
import static dev.ringpark.TransferChecks.checkBuffer;
import static dev.ringpark.TransferChecks.ensureAllowed;
import static dev.ringpark.TransferChecks.ensureWritable;
import static dev.ringpark.TransferChecks.requireAccessible;
import static dev.ringpark.TransferChecks.requireNonNegative;

/**
 * The {@link RingFileChannel} on a descriptor: the JDK's checks in the JDK's order, the file
 * position, interrupts and the close protocol. Bytes move through {@link DescriptorTransfers}, the
 * other calls through {@link DescriptorCalls}; each goes through the {@link Poller} unless
 * {@code CallerCalls} shows it cannot wait. What goes where, and the simpler paths, are in
 * {@link RingFileChannel}'s class documentation.
 */
final class PollerFileChannel extends RingFileChannel {
    private static final long RELATIVE = DescriptorTransfers.RELATIVE;

    private final Poller poller;
    private final FileHandle handle;
    /** Closes the descriptor if this channel is dropped unclosed. */
    private final DescriptorReclaim reclaim;
    private final Path path;
    private final boolean readable;
    private final boolean writable;
    private final boolean append;
    /** The O_DIRECT block size, or 0 when the page cache is used. */
    private final int directBlockSize;
    /** Serialises relative reads and writes, which use and move the descriptor's file position. */
    private final ReentrantLock positionLock = new ReentrantLock();
    private final CallGate gate;
    private final JdkCompanion companion;
    private final DescriptorTransfers transfers;
    private final DescriptorCalls calls;
    private final TransferEnd end;
    private final ChannelTransfers channelTransfers;

    /** A channel that owns {@code handle}'s descriptor, opened as {@code request} asked (see {@link PathOpener}). */
    PollerFileChannel(Poller poller, FileHandle handle, Path path, OpenRequest request, int directBlockSize) {
        this.poller = poller;
        this.handle = handle;
        this.path = path;
        this.readable = request.readable();
        this.writable = request.writable();
        this.append = request.append();
        this.directBlockSize = directBlockSize;
        this.reclaim = DescriptorReclaim.register(handle, poller);
        this.gate = new CallGate(poller, handle, request.interrupts(), this);
        this.companion = new JdkCompanion(handle.fd(), readable, writable);
        DescriptorOperations operations = new DescriptorOperations(poller, handle, request.interrupts());
        this.transfers = new DescriptorTransfers(operations, isSeekable(),
                handle.ioMode() == FileHandle.IoMode.BUFFERED && Ringpark.fastReads());
        this.calls = new DescriptorCalls(operations, isSeekable());
        this.end = new TransferEnd(this, poller, handle, gate, positionLock, calls, transfers, readable, writable, append);
        this.channelTransfers = new ChannelTransfers(end);
    }

    /** This channel as an end of a transfer, for the channel at the other end. */
    TransferEnd end() {
        return end;
    }

    /** Whether the descriptor has a position (a file); {@code false} for a pipe. */
    private boolean isSeekable() {
        return handle.ioMode() != FileHandle.IoMode.STREAM;
    }

    /** Whether buffered reads on this channel still try the page cache first (for tests). */
    boolean fastReads() {
        return transfers.fastReads();
    }

    // ---------------------------------------------------------------- reads and writes

    @Override
    int read(ByteBuffer dst, Deadline deadline) throws IOException {
        return relative(Direction.READ, dst, deadline);
    }

    @Override
    int read(ByteBuffer dst, long position, Deadline deadline) throws IOException {
        return positional(Direction.READ, dst, position, deadline);
    }

    @Override
    int read(MemorySegment dst, long position, Deadline deadline) throws IOException {
        return positional(Direction.READ, dst, position, deadline);
    }

    @Override
    long read(ByteBuffer[] dsts, int offset, int length, Deadline deadline) throws IOException {
        return vectored(Direction.READ, dsts, offset, length, deadline);
    }

    @Override
    int write(ByteBuffer src, Deadline deadline) throws IOException {
        return relative(Direction.WRITE, src, deadline);
    }

    @Override
    int write(ByteBuffer src, long position, Deadline deadline) throws IOException {
        return positional(Direction.WRITE, src, position, deadline);
    }

    @Override
    int write(MemorySegment src, long position, Deadline deadline) throws IOException {
        return positional(Direction.WRITE, src, position, deadline);
    }

    @Override
    long write(ByteBuffer[] srcs, int offset, int length, Deadline deadline) throws IOException {
        return vectored(Direction.WRITE, srcs, offset, length, deadline);
    }

    /** A relative transfer, with {@code FileChannelImpl}'s checks in its order. */
    private int relative(Direction direction, ByteBuffer buffer, Deadline deadline) throws IOException {
        ensureOpen();
        ensureAllowed(direction, readable, writable);
        gate.lock(positionLock, deadline);
        try {
            if (directBlockSize != 0) {
                DirectIoRules.checkChannelPosition(position(), directBlockSize);
            }
            checkBuffer(direction, Objects.requireNonNull(buffer, direction.bufferName), directBlockSize);
            return transfer(direction, buffer, RELATIVE, deadline);
        } finally {
            positionLock.unlock();
        }
    }

    /** A positional transfer, with {@code FileChannelImpl}'s checks in its order. */
    private int positional(Direction direction, ByteBuffer buffer, long position, Deadline deadline)
            throws IOException {
        checkPositional(direction, buffer, position);
        checkBuffer(direction, buffer, directBlockSize);
        return transfer(direction, buffer, position, deadline);
    }

    /** The checks of a positional transfer before it looks at its memory, in FileChannelImpl's order. */
    private void checkPositional(Direction direction, Object memory, long position) throws IOException {
        Objects.requireNonNull(memory, direction.bufferName);
        requireNonNegative(position, "Negative position");
        ensureOpen();
        ensureAllowed(direction, readable, writable);
        if (directBlockSize != 0) {
            DirectIoRules.checkChannelPosition(position, directBlockSize);
        }
    }

    /** A positional transfer of a segment, checked as its buffer would be. */
    private int positional(Direction direction, MemorySegment memory, long position, Deadline deadline)
            throws IOException {
        checkPositional(direction, memory, position);
        TransferChecks.checkSegment(direction, memory, directBlockSize);
        gate.enter();
        try {
            return transferAt(direction, memory, position, deadline);
        } finally {
            Reference.reachabilityFence(memory);
            gate.exit();
        }
    }

    /** A scattering read or gathering write at the file position. */
    private long vectored(Direction direction, ByteBuffer[] buffers, int offset, int length, Deadline deadline)
            throws IOException {
        Objects.checkFromIndexSize(offset, length, buffers.length);
        ensureOpen();
        ensureAllowed(direction, readable, writable);
        gate.lock(positionLock, deadline);
        try {
            if (directBlockSize != 0) {
                DirectIoRules.checkChannelPosition(position(), directBlockSize);
            }
            ByteBuffer[] selected = Arrays.copyOfRange(buffers, offset, offset + length);
            for (ByteBuffer buffer : selected) {
                checkBuffer(direction, Objects.requireNonNull(buffer, direction.bufferName + "s"), directBlockSize);
            }
            gate.enter();
            try {
                long start = relativeStart(direction);
                boolean asIovecs = Vectored.allNative(selected);
                long n = direction == Direction.READ
                        ? asIovecs ? transfers.readVectored(selected, start, deadline)
                        : transfers.readScattered(selected, start, deadline)
                        : asIovecs && isSeekable() ? transfers.writeVectored(selected, start, deadline)
                        : transfers.writeGathered(selected, start, deadline);
                advanceFrom(start, n);
                return n;
            } finally {
                Reference.reachabilityFence(selected);
                gate.exit();
            }
        } finally {
            positionLock.unlock();
        }
    }

    /** A transfer of {@code buffer}, at {@code position} or ({@link #RELATIVE}) at the file position. */
    private int transfer(Direction direction, ByteBuffer buffer, long position, Deadline deadline)
            throws IOException {
        MemorySegment memory = MemorySegment.ofBuffer(buffer);
        requireAccessible(memory);
        gate.enter();
        try {
            long start = position == RELATIVE ? relativeStart(direction) : position;
            int n = transferAt(direction, memory, start, deadline);
            if (n > 0) {
                buffer.position(buffer.position() + n);
                if (position == RELATIVE) {
                    advanceFrom(start, n);
                }
            }
            return n;
        } finally {
            Reference.reachabilityFence(buffer);
            gate.exit();
        }
    }

    private int transferAt(Direction direction, MemorySegment memory, long position, Deadline deadline)
            throws IOException {
        return direction == Direction.READ ? transfers.readAt(memory, position, deadline)
                : transfers.writeAt(memory, position, deadline);
    }

    // ---------------------------------------------------------------- the file itself

    @Override
    public long position() throws IOException {
        ensureOpen();
        positionLock.lock();
        try {
            gate.enter();
            try {
                return append ? calls.size() : calls.position();
            } finally {
                gate.exit();
            }
        } finally {
            positionLock.unlock();
        }
    }

    @Override
    public RingFileChannel position(long newPosition) throws IOException {
        ensureOpen();
        requireNonNegative(newPosition, null);
        positionLock.lock();
        try {
            gate.enter();
            try {
                calls.setPosition(newPosition);
                return this;
            } finally {
                gate.exit();
            }
        } finally {
            positionLock.unlock();
        }
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        gate.enter();
        try {
            return calls.size();
        } finally {
            gate.exit();
        }
    }

    @Override
    public RingFileChannel truncate(long size) throws IOException {
        ensureOpen();
        requireNonNegative(size, "Negative size");
        ensureWritable(writable);
        positionLock.lock();
        try {
            gate.enter();
            try {
                long position = calls.position();
                if (size < calls.size()) {
                    calls.truncate(size);
                }
                calls.setPosition(Math.min(position, size));
                return this;
            } finally {
                gate.exit();
            }
        } finally {
            positionLock.unlock();
        }
    }

    @Override
    void force(boolean metaData, Deadline deadline) throws IOException {
        ensureOpen();
        gate.enter();
        try {
            calls.force(metaData, deadline);
        } finally {
            gate.exit();
        }
    }

    @Override
    public void advise(long position, long length, Advice advice) throws IOException {
        checkAdvice(position, length, advice);
        ensureOpen();
        gate.enter();
        try {
            calls.advise(position, length, advice.value());
        } finally {
            gate.exit();
        }
    }

    /** As the JDK's ({@link ChannelTransfers}): the kernel's copy where the other end is one of ours. */
    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return channelTransfers.to(position, count, target);
    }

    /** As the JDK's ({@link ChannelTransfers}): the kernel's copy where the other end is one of ours. */
    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return channelTransfers.from(src, position, count);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return companion.call(channel -> channel.map(mode, position, size), gate);
    }

    @Override
    public MemorySegment map(MapMode mode, long offset, long size, Arena arena) throws IOException {
        return companion.call(channel -> channel.map(mode, offset, size, arena), gate);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return new RingFileLock(this, companion.call(channel -> channel.lock(position, size, shared), gate));
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        FileLock lock = companion.call(channel -> channel.tryLock(position, size, shared), gate);
        return lock == null ? null : new RingFileLock(this, lock);
    }

    // ---------------------------------------------------------------- close and plumbing

    /**
     * Cancels the operations in flight, waits until the kernel has answered each of them, then
     * closes the descriptor. Their callers get {@link AsynchronousCloseException}.
     */
    @Override
    protected void implCloseChannel() throws IOException {
        if (!handle.beginClose()) {
            return;
        }
        if (!handle.isIdle()) {
            poller.cancelAll(handle);
            handle.awaitIdle();
        }
        companion.close();
        reclaim.disarm(handle);
        calls.close();
    }

    /**
     * Where a relative transfer starts: the file position of a seekable file, or -1 for a pipe and
     * for an append-mode write (the kernel then writes at the end). The position is kept by
     * {@link DescriptorCalls#position()} and moved by this class: io_uring does not advance it for
     * O_DIRECT transfers that complete asynchronously. Inside the gate, under positionLock.
     */
    private long relativeStart(Direction direction) throws IOException {
        return !isSeekable() || direction == Direction.WRITE && append ? RELATIVE : calls.position();
    }

    /** Moves the file position past a relative transfer that started at {@code start}. */
    private void advanceFrom(long start, long transferred) throws IOException {
        if (start != RELATIVE && transferred > 0) {
            calls.setPosition(start + transferred);
        } else if (start == RELATIVE && isSeekable()) {
            calls.positionMovedByKernel(); // an append-mode write: the kernel put the offset at the end
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public String toString() {
        return "RingFileChannel[" + path + "]";
    }
}
