package dev.ringpark;

import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.NativeBufferPool;
import dev.ringpark.poller.Operation;
import dev.ringpark.poller.Operation.Kind;
import dev.ringpark.poller.Poller;
import dev.ringpark.poller.linux.LibC;
import dev.ringpark.poller.linux.Statx;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.channels.InterruptibleChannel;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The {@link RingFileChannel} on a descriptor: every call that may block goes through the
 * {@link Poller} and its driver. What goes where, and the simpler paths, are in
 * {@link RingFileChannel}'s class documentation.
 */
final class PollerFileChannel extends RingFileChannel {
    private static final long RELATIVE = DescriptorTransfers.RELATIVE;

    private final Poller poller;
    private final FileHandle handle;
    private final Path path;
    private final boolean readable;
    private final boolean writable;
    private final boolean append;
    /** The O_DIRECT block size, or 0 when the page cache is used. */
    private final int directBlockSize;
    /** Whether the descriptor has a position (a file); {@code false} for a pipe. */
    private final boolean seekable;
    /** Serialises relative reads and writes, which use and move the descriptor's file position. */
    private final ReentrantLock positionLock = new ReentrantLock();
    /** Whether an interrupt of a caller closes the channel ({@code FileChannel}'s contract). */
    private final boolean interruptible;
    private final JdkCompanion companion;
    private final DescriptorTransfers transfers;

    private PollerFileChannel(Poller poller, int fd, Path path, OpenRequest request, int directBlockSize,
                            boolean seekable) {
        this.poller = poller;
        this.handle = new FileHandle(fd, !seekable ? FileHandle.IoMode.STREAM
                : directBlockSize > 0 ? FileHandle.IoMode.DIRECT : FileHandle.IoMode.BUFFERED);
        this.path = path;
        this.readable = request.readable();
        this.writable = request.writable();
        this.append = request.append();
        this.directBlockSize = directBlockSize;
        this.seekable = seekable;
        this.interruptible = request.interruptible();
        this.companion = new JdkCompanion(fd, readable, writable);
        this.transfers = new DescriptorTransfers(poller, handle, seekable, interruptible,
                directBlockSize == 0 && Ringpark.fastReads());
    }

    /** Opens the file through {@code poller}, as {@link RingFileChannel#open(Path, Set, FileAttribute[])}. */
    static RingFileChannel open(Poller poller, Path path, OpenRequest request) throws IOException {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= NativeBufferPool.MAX_BUFFER_BYTES) {
            throw new FileSystemException(path.toString(), null, "File name too long");
        }
        try (Lease pathLease = Lease.of(name.length + 1L)) {
            MemorySegment.copy(name, 0, pathLease.segment(), JAVA_BYTE, 0, name.length);
            pathLease.segment().set(JAVA_BYTE, name.length, (byte) 0);
            OpenRoute route = OpenRoute.of(pathLease.segment(), request.followLinks());
            int fd;
            if (route == OpenRoute.FIFO) {
                poller.ensureRunning(); // a failed poller fails every call, this one too
                fd = FifoOpens.openat(pathLease.segment(), request.flags(), request.mode());
            } else {
                fd = pathLease.execute(poller, Operation.open(pathLease.address(), request.flags(), request.mode(),
                        route == OpenRoute.PLAIN));
            }
            if (fd >= 0 && request.deleteOnClose()) {
                // The JDK unlinks at once on Unix, and ignores a failure to, as here.
                pathLease.execute(poller, Operation.unlink(pathLease.address()));
            }
            if (fd < 0) {
                throw request.failure(-fd, path);
            }
            return new PollerFileChannel(poller, fd, path, request, request.direct() ? directBlockSize(fd, poller) : 0,
                    isSeekable(fd));
        }
    }

    private static boolean isSeekable(int fd) {
        try (Lease callState = Lease.of(LibC.CALL_STATE_BYTES)) {
            return LibC.lseek(callState.segment(), fd, 0, LibC.SEEK_CUR) >= 0;
        }
    }

    private static int directBlockSize(int fd, Poller poller) throws IOException {
        try (Lease callState = Lease.of(LibC.CALL_STATE_BYTES)) {
            long blockSize = LibC.directIoBlockSize(callState.segment(), fd);
            if (blockSize < 0) {
                poller.execute(Operation.close(fd));
                throw IoExceptions.forChannel((int) -blockSize);
            }
            return (int) blockSize;
        }
    }

    // ---------------------------------------------------------------- reads and writes: entry points

    /** Which way a transfer goes: the checks differ in what they check, not in where. */
    private enum Direction {
        READ("dst"), WRITE("src");

        /** The name of the method's buffer parameter, for null checks. */
        final String bufferName;

        Direction(String bufferName) {
            this.bufferName = bufferName;
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return relative(Direction.READ, dst);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return positional(Direction.READ, dst, position);
    }

    @Override
    public int read(MemorySegment dst, long position) throws IOException {
        return positional(Direction.READ, dst, position);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return vectored(Direction.READ, dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return relative(Direction.WRITE, src);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return positional(Direction.WRITE, src, position);
    }

    @Override
    public int write(MemorySegment src, long position) throws IOException {
        return positional(Direction.WRITE, src, position);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return vectored(Direction.WRITE, srcs, offset, length);
    }

    /** A relative transfer, with {@code FileChannelImpl}'s checks in its order. */
    private int relative(Direction direction, ByteBuffer buffer) throws IOException {
        ensureOpen();
        ensureAllowed(direction);
        positionLock.lock();
        try {
            if (directBlockSize != 0) {
                DirectIoRules.checkChannelPosition(position(), directBlockSize);
            }
            checkBuffer(direction, Objects.requireNonNull(buffer, direction.bufferName));
            return transfer(direction, buffer, RELATIVE);
        } finally {
            positionLock.unlock();
        }
    }

    /** A positional transfer, with {@code FileChannelImpl}'s checks in its order. */
    private int positional(Direction direction, ByteBuffer buffer, long position) throws IOException {
        checkPositional(direction, buffer, position);
        checkBuffer(direction, buffer);
        return transfer(direction, buffer, position);
    }

    /** The checks of a positional transfer before it looks at its memory, in FileChannelImpl's order. */
    private void checkPositional(Direction direction, Object memory, long position) throws IOException {
        Objects.requireNonNull(memory, direction.bufferName);
        requireNonNegative(position, "Negative position");
        ensureOpen();
        ensureAllowed(direction);
        if (directBlockSize != 0) {
            DirectIoRules.checkChannelPosition(position, directBlockSize);
        }
    }

    /** A positional transfer of a segment, checked as its buffer would be. */
    private int positional(Direction direction, MemorySegment memory, long position) throws IOException {
        checkPositional(direction, memory, position);
        if (direction == Direction.READ && memory.isReadOnly()) {
            throw new IllegalArgumentException("Read-only segment");
        }
        if (directBlockSize != 0) {
            DirectIoRules.checkSegment(memory, directBlockSize);
        }
        requireAccessible(memory);
        enterIo();
        try {
            return transferAt(direction, memory, position);
        } finally {
            Reference.reachabilityFence(memory);
            exitIo();
        }
    }

    /** A scattering read or gathering write at the file position. */
    private long vectored(Direction direction, ByteBuffer[] buffers, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffers.length);
        ensureOpen();
        ensureAllowed(direction);
        positionLock.lock();
        try {
            if (directBlockSize != 0) {
                DirectIoRules.checkChannelPosition(position(), directBlockSize);
            }
            ByteBuffer[] selected = Arrays.copyOfRange(buffers, offset, offset + length);
            for (ByteBuffer buffer : selected) {
                checkBuffer(direction, Objects.requireNonNull(buffer, direction.bufferName + "s"));
            }
            enterIo();
            try {
                long start = relativeStart(direction);
                boolean asIovecs = Vectored.allNative(selected);
                long n = direction == Direction.READ
                        ? asIovecs ? transfers.readVectored(selected, start) : transfers.readScattered(selected, start)
                        : asIovecs && seekable ? transfers.writeVectored(selected, start) : transfers.writeGathered(selected, start);
                advanceFrom(start, n);
                return n;
            } finally {
                Reference.reachabilityFence(selected);
                exitIo();
            }
        } finally {
            positionLock.unlock();
        }
    }

    /** A transfer of {@code buffer}, at {@code position} or ({@link #RELATIVE}) at the file position. */
    private int transfer(Direction direction, ByteBuffer buffer, long position) throws IOException {
        MemorySegment memory = MemorySegment.ofBuffer(buffer);
        requireAccessible(memory);
        enterIo();
        try {
            long start = position == RELATIVE ? relativeStart(direction) : position;
            int n = transferAt(direction, memory, start);
            if (n > 0) {
                buffer.position(buffer.position() + n);
                if (position == RELATIVE) {
                    advanceFrom(start, n);
                }
            }
            return n;
        } finally {
            Reference.reachabilityFence(buffer);
            exitIo();
        }
    }

    private int transferAt(Direction direction, MemorySegment memory, long position) throws IOException {
        return direction == Direction.READ ? transfers.readAt(memory, position) : transfers.writeAt(memory, position);
    }

    // ---------------------------------------------------------------- the file itself

    @Override
    public long position() throws IOException {
        ensureOpen();
        positionLock.lock();
        try {
            enterIo();
            try {
                return append ? statxSize() : lseek(0, LibC.SEEK_CUR);
            } finally {
                exitIo();
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
            enterIo();
            try {
                lseek(newPosition, LibC.SEEK_SET);
                return this;
            } finally {
                exitIo();
            }
        } finally {
            positionLock.unlock();
        }
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        enterIo();
        try {
            return statxSize();
        } finally {
            exitIo();
        }
    }

    @Override
    public RingFileChannel truncate(long size) throws IOException {
        ensureOpen();
        requireNonNegative(size, "Negative size");
        ensureWritable();
        positionLock.lock();
        try {
            enterIo();
            try {
                long position = lseek(0, LibC.SEEK_CUR);
                if (size < statxSize()) {
                    transfers.run(Operation.onFile(Kind.TRUNCATE, handle, 0, 0, size), null);
                }
                lseek(Math.min(position, size), LibC.SEEK_SET);
                return this;
            } finally {
                exitIo();
            }
        } finally {
            positionLock.unlock();
        }
    }

    @Override
    public void force(boolean metaData) throws IOException {
        ensureOpen();
        enterIo();
        try {
            transfers.run(Operation.onFile(metaData ? Kind.FSYNC : Kind.FDATASYNC, handle, 0, 0, 0), null);
        } finally {
            exitIo();
        }
    }

    @Override
    public void advise(long position, long length, Advice advice) throws IOException {
        checkAdvice(position, length, advice);
        ensureOpen();
        enterIo();
        try {
            transfers.run(Operation.advise(handle, position, length, advice.value()), null);
        } finally {
            exitIo();
        }
    }

    /** Reads through a pooled buffer at {@code position} and writes to {@code target}, as the JDK does
     *  for channels it cannot hand to the kernel: this channel's position does not move. */
    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        ensureOpen();
        if (!Objects.requireNonNull(target, "target").isOpen()) {
            throw new ClosedChannelException();
        }
        ensureReadable();
        if (target instanceof PollerFileChannel ring && !ring.writable) {
            throw new NonWritableChannelException();
        }
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException();
        }
        closeBothIfInterrupted(target);
        return copyThrough(count, () -> {
            long size = statxSize();
            return position > size ? 0 : Math.min(count, size - position);
        }, (lease, view, chunk, done) -> transfers.readNative(lease.address(), chunk, position + done, lease),
                (lease, view, n, done) -> target.write(view.clear().limit(n)));
    }

    /** Reads {@code src} through a pooled buffer and writes at {@code position}, as the JDK does for
     *  channels it cannot map: this channel's position does not move. */
    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        ensureOpen();
        if (!Objects.requireNonNull(src, "src").isOpen()) {
            throw new ClosedChannelException();
        }
        ensureWritable();
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException();
        }
        closeBothIfInterrupted(src);
        return copyThrough(count, () -> count,
                (lease, view, chunk, done) -> src.read(view.clear().limit(chunk)),
                (lease, view, n, done) -> transfers.writeNative(lease.address(), n, position + done, lease));
    }

    /** {@link ChunkedCopy#copy} as a use of this channel's descriptor. */
    private long copyThrough(long count, ChunkedCopy.Length length, ChunkedCopy.Step fill, ChunkedCopy.Step drain)
            throws IOException {
        enterIo();
        try {
            return ChunkedCopy.copy(count, length, fill, drain);
        } finally {
            exitIo();
        }
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        try {
            return companion.get().map(mode, position, size);
        } catch (ClosedByInterruptException e) {
            throw closedBy(e);
        }
    }

    @Override
    public MemorySegment map(MapMode mode, long offset, long size, Arena arena) throws IOException {
        try {
            return companion.get().map(mode, offset, size, arena);
        } catch (ClosedByInterruptException e) {
            throw closedBy(e);
        }
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        try {
            return new RingFileLock(this, companion.get().lock(position, size, shared));
        } catch (FileLockInterruptionException e) {
            throw closedBy(e);
        }
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        FileLock lock = companion.get().tryLock(position, size, shared);
        return lock == null ? null : new RingFileLock(this, lock);
    }

    // ---------------------------------------------------------------- close

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
        Operation close = Operation.close(handle.fd());
        int rc;
        try {
            rc = poller.execute(close);
        } catch (IOException pollerFailed) {
            if (close.mayHaveRun()) {
                // The kernel may have closed it, and the number may belong to another file by now:
                // better a leaked descriptor than closing someone else's.
                throw pollerFailed;
            }
            try (Lease callState = Lease.of(LibC.CALL_STATE_BYTES)) {
                rc = LibC.close(callState.segment(), handle.fd());
            }
        }
        transfers.checkResult(rc);
    }

    // ---------------------------------------------------------------- plumbing

    /**
     * Counts this call in as using the descriptor, then makes the interrupt check
     * {@code FileChannel} specifies: an interrupted caller closes the channel and gets
     * {@link ClosedByInterruptException}. A close since the caller's {@code ensureOpen} gives
     * {@link AsynchronousCloseException}; a failed poller, its failure, even to calls that would not
     * need it.
     */
    private void enterIo() throws IOException {
        if (!handle.enter()) {
            // Every caller checked the channel open first: a close came in between, as the JDK says.
            throw new AsynchronousCloseException();
        }
        try {
            poller.ensureRunning();
        } catch (IOException pollerFailed) {
            handle.exit();
            throw pollerFailed;
        }
        if (interruptible && Thread.currentThread().isInterrupted()) {
            exitIo(); // closes the channel and throws
        }
    }

    /**
     * Counts this call out. If the caller was interrupted while the operation was in flight (which
     * cancelled it), closes the channel and throws {@link ClosedByInterruptException}, whatever
     * the operation returned; unless the channel is uninterruptible, whose calls ignore interrupts.
     */
    private void exitIo() throws IOException {
        handle.exit();
        if (interruptible && Thread.currentThread().isInterrupted()) {
            close();
            throw new ClosedByInterruptException();
        }
    }

    /**
     * Where a relative transfer starts: the file position of a seekable file, or -1 for a pipe and
     * for an append-mode write (the kernel then writes at the end). The position is kept in the
     * descriptor, as the JDK keeps it, but moved by this class: io_uring does not advance it for
     * O_DIRECT transfers that complete asynchronously. Inside enterIo/exitIo, under positionLock.
     */
    private long relativeStart(Direction direction) throws IOException {
        return !seekable || direction == Direction.WRITE && append ? RELATIVE : lseek(0, LibC.SEEK_CUR);
    }

    /** Moves the file position past a relative transfer that started at {@code start}. */
    private void advanceFrom(long start, long transferred) throws IOException {
        if (start != RELATIVE && transferred > 0) {
            lseek(start + transferred, LibC.SEEK_SET);
        }
    }

    /** {@code lseek(2)} on this thread (it never blocks). Inside enterIo/exitIo. */
    private long lseek(long offset, int whence) throws IOException {
        try (Lease callState = Lease.of(LibC.CALL_STATE_BYTES)) {
            long result = LibC.lseek(callState.segment(), handle.fd(), offset, whence);
            if (result < 0) {
                throw IoExceptions.forChannel((int) -result);
            }
            return result;
        }
    }

    /** The file's size, through the poller. Inside enterIo/exitIo. */
    private long statxSize() throws IOException {
        try (Lease statx = Lease.of(Statx.BYTES)) {
            transfers.run(Operation.onFile(Kind.STATX, handle, statx.address(), Statx.MASK_SIZE, 0), statx);
            return Statx.size(statx.segment());
        }
    }

    /**
     * The JDK closes both channels of a transfer made by an interrupted thread (the other one closes
     * itself when the transfer calls into it); so does this.
     */
    private void closeBothIfInterrupted(Channel other) throws IOException {
        if (interruptible && Thread.currentThread().isInterrupted()) {
            if (other instanceof InterruptibleChannel interruptible) {
                interruptible.close();
            }
            close();
            throw new ClosedByInterruptException();
        }
    }

    /** The JDK companion closed itself on an interrupt; this channel closes too, as the JDK's would. */
    private <E extends IOException> E closedBy(E interruption) {
        try {
            close();
        } catch (IOException suppressed) {
            interruption.addSuppressed(suppressed);
        }
        return interruption;
    }

    /** The JDK's checks of a transfer's buffer, made where its {@code IOUtil} makes them. */
    private void checkBuffer(Direction direction, ByteBuffer buffer) throws IOException {
        if (direction == Direction.READ && buffer.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        if (directBlockSize != 0) {
            DirectIoRules.checkBuffer(buffer, directBlockSize);
        }
    }

    /** The checks the JDK makes when it acquires a buffer's memory for I/O. */
    private static void requireAccessible(MemorySegment memory) {
        if (!memory.scope().isAlive()) {
            throw new IllegalStateException("Already closed");
        }
        if (!memory.isAccessibleBy(Thread.currentThread())) {
            throw new WrongThreadException("Attempted access outside owning thread");
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    private void ensureReadable() {
        if (!readable) {
            throw new NonReadableChannelException();
        }
    }

    private void ensureWritable() {
        if (!writable) {
            throw new NonWritableChannelException();
        }
    }

    private void ensureAllowed(Direction direction) {
        if (direction == Direction.READ) {
            ensureReadable();
        } else {
            ensureWritable();
        }
    }

    private static void requireNonNegative(long value, String message) {
        if (value < 0) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public String toString() {
        return "RingFileChannel[" + path + "]";
    }
}
