package dev.ringpark;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The {@link RingFileChannel} for a process that denies Ringpark native access: the JDK's
 * {@link FileChannel}, each call that may block run on a pool thread while the caller parks
 * ({@link OffloadedCalls}, which also says what interrupts and deadlines do). No system call is
 * Ringpark's own, so the JDK's semantics are the JDK's code.
 */
final class OffloadedFileChannel extends RingFileChannel {
    /**
     * Stands for any pool thread in {@link MemorySegment#isAccessibleBy}: a segment confined to the
     * caller cannot be handed to the pool and is copied instead.
     */
    private static final Thread POOL_THREAD = Thread.ofPlatform().unstarted(() -> { });

    private static final int PAGE_BYTES = 4096;

    private final FileChannel channel;
    private final OffloadedCalls calls;
    private final OffloadedTransfers transfers;

    private OffloadedFileChannel(FileChannel channel, InterruptPolicy interrupts, boolean mayWaitForever) {
        this.channel = channel;
        this.calls = new OffloadedCalls(this, interrupts, mayWaitForever);
        this.transfers = new OffloadedTransfers(this, channel, calls.pool());
    }

    /** The JDK's channel this one offloads: what another offloaded channel's transfer hands the JDK. */
    FileChannel jdkChannel() {
        return channel;
    }

    /** What an interrupt of a caller does. */
    InterruptPolicy interrupts() {
        return calls.interrupts();
    }

    /**
     * Opens as {@link FileChannel#open(Path, Set, FileAttribute[])}, not interruptibly (as the JDK's
     * open): on a pool thread, which first looks at the path, or, when the path names a FIFO, a
     * device or a socket, whose open may wait for a peer, on a thread of its own ({@link FifoOpens}).
     */
    static RingFileChannel openOnPool(Path path, Set<? extends OpenOption> options, InterruptPolicy interrupts,
                                      FileAttribute<?>... attributes) throws IOException {
        Callable<FileChannel> open = () -> FileChannel.open(path, options, attributes);
        FileChannel opened = PlatformThreads.awaitUninterruptibly(
                OffloadedCalls.POOL.submit(() -> mayWaitForPeer(path, options) ? null : open.call()));
        return opened != null ? new OffloadedFileChannel(opened, interrupts, false)
                : new OffloadedFileChannel(FifoOpens.run(open), interrupts, true);
    }

    /** Whether {@code path} names something other than a file, a directory or a link: a FIFO, say. */
    private static boolean mayWaitForPeer(Path path, Set<? extends OpenOption> options) {
        LinkOption[] follow = options.contains(LinkOption.NOFOLLOW_LINKS)
                ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, follow).isOther();
        } catch (IOException e) {
            return false; // nothing there (or not readable): the open will say so
        }
    }

    /** The settings {@link Ringpark#driver()} reports. */
    static String setup() {
        return "JDK FileChannel calls on up to " + Ringpark.threads() + " platform threads";
    }

    @Override
    int read(ByteBuffer dst, Deadline deadline) throws IOException {
        return calls.offload(() -> channel.read(dst), deadline);
    }

    @Override
    int read(ByteBuffer dst, long position, Deadline deadline) throws IOException {
        return calls.offload(() -> channel.read(dst, position), deadline);
    }

    @Override
    int read(MemorySegment dst, long position, Deadline deadline) throws IOException {
        if (dst.isAccessibleBy(POOL_THREAD)) {
            ByteBuffer view = dst.asByteBuffer();
            return calls.offload(() -> channel.read(view, position), deadline);
        }
        ByteBuffer bounce = bounceFor(dst); // confined to the caller: the pool cannot touch it
        int n = calls.offload(() -> channel.read(bounce, position), deadline);
        MemorySegment.copy(MemorySegment.ofBuffer(bounce.flip()), 0, dst, 0, bounce.remaining());
        return n;
    }

    @Override
    long read(ByteBuffer[] dsts, int offset, int length, Deadline deadline) throws IOException {
        return calls.offload(() -> channel.read(dsts, offset, length), deadline);
    }

    @Override
    int write(ByteBuffer src, Deadline deadline) throws IOException {
        return calls.offload(() -> channel.write(src), deadline);
    }

    @Override
    int write(ByteBuffer src, long position, Deadline deadline) throws IOException {
        return calls.offload(() -> channel.write(src, position), deadline);
    }

    @Override
    int write(MemorySegment src, long position, Deadline deadline) throws IOException {
        if (src.isAccessibleBy(POOL_THREAD)) {
            ByteBuffer view = src.asByteBuffer();
            return calls.offload(() -> channel.write(view, position), deadline);
        }
        ByteBuffer bounce = bounceFor(src);
        MemorySegment.ofBuffer(bounce).copyFrom(src);
        return calls.offload(() -> channel.write(bounce, position), deadline);
    }

    @Override
    long write(ByteBuffer[] srcs, int offset, int length, Deadline deadline) throws IOException {
        return calls.offload(() -> channel.write(srcs, offset, length), deadline);
    }

    @Override
    void force(boolean metaData, Deadline deadline) throws IOException {
        calls.offload(() -> {
            channel.force(metaData);
            return null;
        }, deadline);
    }

    /**
     * A buffer the pool may use in place of {@code segment}: as large, and for native memory at the
     * same offset within a page, so that the JDK's O_DIRECT alignment checks see what they would
     * have seen.
     */
    private static ByteBuffer bounceFor(MemorySegment segment) {
        int size = Math.toIntExact(segment.byteSize());
        if (!segment.isNative()) {
            return ByteBuffer.allocate(size);
        }
        ByteBuffer pages = ByteBuffer.allocateDirect(size + 2 * PAGE_BYTES);
        long base = MemorySegment.ofBuffer(pages).address();
        int start = (int) Math.floorMod(segment.address() - base, (long) PAGE_BYTES);
        return pages.slice(start, size);
    }

    @Override
    public long position() throws IOException {
        return calls.onCaller(channel::position);
    }

    @Override
    public RingFileChannel position(long newPosition) throws IOException {
        calls.onCaller(() -> channel.position(newPosition));
        return this;
    }

    @Override
    public long size() throws IOException {
        return calls.offload(channel::size);
    }

    @Override
    public RingFileChannel truncate(long size) throws IOException {
        calls.offload(() -> channel.truncate(size));
        return this;
    }

    /** Checks its arguments and that the channel is open; the advice itself needs native access. */
    @Override
    public void advise(long position, long length, Advice advice) throws IOException {
        checkAdvice(position, length, advice);
        calls.onCaller(channel::position); // throws ClosedChannelException when closed
    }

    /** The JDK's, on the pool, with the JDK's channel of an offloaded target ({@link OffloadedTransfers}). */
    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return transfers.to(position, count, target);
    }

    /** The JDK's, on the pool, with the JDK's channel of an offloaded source ({@link OffloadedTransfers}). */
    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return transfers.from(src, position, count);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return mapOnCaller(() -> channel.map(mode, position, size));
    }

    @Override
    public MemorySegment map(MapMode mode, long offset, long size, Arena arena) throws IOException {
        return mapOnCaller(() -> channel.map(mode, offset, size, arena));
    }

    /**
     * A mapping, made on the caller's thread, whose arena may be confined to it. On a channel that
     * ignores interrupts the interrupt status is put aside meanwhile, so that the JDK's channel does
     * not close.
     */
    private <T> T mapOnCaller(Callable<T> map) throws IOException {
        if (calls.jdkInterrupts() == InterruptPolicy.CLOSE_CHANNEL) {
            return calls.onCaller(map, InterruptPolicy.CLOSE_CHANNEL);
        }
        boolean interrupted = Thread.interrupted();
        try {
            return map.call();
        } catch (Exception e) {
            throw PlatformThreads.rethrow(e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** As the JDK's lock: an interrupt closes the channel, whatever the channel's policy (see {@link RingOpenOption}). */
    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        try {
            return new RingFileLock(this, calls.offload(() -> channel.lock(position, size, shared), Deadline.NONE,
                    calls.jdkInterrupts()));
        } catch (ClosedByInterruptException e) {
            throw new FileLockInterruptionException(); // what the JDK's lock throws when interrupted
        }
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        FileLock lock = calls.onCaller(() -> channel.tryLock(position, size, shared), calls.jdkInterrupts());
        return lock == null ? null : new RingFileLock(this, lock);
    }

    /**
     * Closes the JDK's channel, which ends the calls running on the pool, and takes the calls still
     * queued for a pool thread off the queue.
     */
    @Override
    protected void implCloseChannel() throws IOException {
        channel.close();
        calls.unqueueAll();
    }

    @Override
    public String toString() {
        return "RingFileChannel[" + channel + "]";
    }
}
