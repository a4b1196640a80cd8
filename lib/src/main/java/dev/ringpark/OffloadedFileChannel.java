package dev.ringpark;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The {@link RingFileChannel} for a process that denies Ringpark native access: the JDK's
 * {@link FileChannel}, each call that may block run on one of at most
 * {@link Ringpark#threads()} platform threads while the caller parks (waiting for a
 * {@link Future} does not pin a virtual thread's carrier). No system call is Ringpark's own, so
 * the JDK's semantics are the JDK's code.
 *
 * <p>Interrupts: an interrupt while waiting closes the channel, which makes the JDK call on the
 * pool thread end ({@code AsynchronousCloseException} there), waits for it to end, so that the
 * caller's buffer is no longer in use, and throws {@link ClosedByInterruptException}, as the JDK's
 * channel does.
 */
final class OffloadedFileChannel extends RingFileChannel {
    private static final ExecutorService POOL =
            Executors.newFixedThreadPool(Ringpark.threads(), new PlatformThreads("ringpark-io-"));
    /**
     * The calls of channels on a FIFO, a device or a socket, which may wait for a peer for as long as
     * it takes: on a pool of their own (as many threads, idle ones ending after a minute), so that
     * enough of them waiting cannot keep the files' calls from running, as the pool drivers do.
     */
    private static final ThreadPoolExecutor STREAM_POOL = new ThreadPoolExecutor(Ringpark.threads(),
            Ringpark.threads(), 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
            new PlatformThreads("ringpark-io-stream-"));

    static {
        STREAM_POOL.allowCoreThreadTimeOut(true);
    }

    /**
     * Stands for any pool thread in {@link MemorySegment#isAccessibleBy}: a segment confined to the
     * caller cannot be handed to the pool and is copied instead.
     */
    private static final Thread POOL_THREAD = Thread.ofPlatform().unstarted(() -> { });

    private static final int PAGE_BYTES = 4096;

    private final FileChannel channel;
    /** Whether an interrupt of a caller closes the channel; when not, every call runs on the pool. */
    private final boolean interruptible;
    /** Where this channel's calls run: {@link #POOL}, or {@link #STREAM_POOL} for a FIFO, device or socket. */
    private final ExecutorService pool;
    private final OffloadedTransfers transfers;

    private OffloadedFileChannel(FileChannel channel, boolean interruptible, boolean stream) {
        this.channel = channel;
        this.interruptible = interruptible;
        this.pool = stream ? STREAM_POOL : POOL;
        this.transfers = new OffloadedTransfers(this, channel, pool);
    }

    /** The JDK's channel this one offloads: what another offloaded channel's transfer hands the JDK. */
    FileChannel jdkChannel() {
        return channel;
    }

    /** Whether an interrupt of a caller closes the channel. */
    boolean interruptible() {
        return interruptible;
    }

    /**
     * Opens as {@link FileChannel#open(Path, Set, FileAttribute[])}, not interruptibly (as the JDK's
     * open): on a pool thread, which first looks at the path, or, when the path names a FIFO, a
     * device or a socket, whose open may wait for a peer, on a thread of its own ({@link FifoOpens}).
     */
    static RingFileChannel openOnPool(Path path, Set<? extends OpenOption> options, boolean interruptible,
                                      FileAttribute<?>... attributes) throws IOException {
        Callable<FileChannel> open = () -> FileChannel.open(path, options, attributes);
        FileChannel opened = PlatformThreads.awaitUninterruptibly(
                POOL.submit(() -> mayWaitForPeer(path, options) ? null : open.call()));
        return opened != null ? new OffloadedFileChannel(opened, interruptible, false)
                : new OffloadedFileChannel(FifoOpens.run(open), interruptible, true);
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
    public int read(ByteBuffer dst) throws IOException {
        return offload(() -> channel.read(dst));
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return offload(() -> channel.read(dst, position));
    }

    @Override
    public int read(MemorySegment dst, long position) throws IOException {
        if (dst.isAccessibleBy(POOL_THREAD)) {
            return read(dst.asByteBuffer(), position);
        }
        ByteBuffer bounce = bounceFor(dst); // confined to the caller: the pool cannot touch it
        int n = read(bounce, position);
        MemorySegment.copy(MemorySegment.ofBuffer(bounce.flip()), 0, dst, 0, bounce.remaining());
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return offload(() -> channel.read(dsts, offset, length));
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return offload(() -> channel.write(src));
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return offload(() -> channel.write(src, position));
    }

    @Override
    public int write(MemorySegment src, long position) throws IOException {
        if (src.isAccessibleBy(POOL_THREAD)) {
            return write(src.asByteBuffer(), position);
        }
        ByteBuffer bounce = bounceFor(src);
        MemorySegment.ofBuffer(bounce).copyFrom(src);
        return write(bounce, position);
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
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return offload(() -> channel.write(srcs, offset, length));
    }

    @Override
    public long position() throws IOException {
        return onCaller(channel::position);
    }

    @Override
    public RingFileChannel position(long newPosition) throws IOException {
        onCaller(() -> channel.position(newPosition));
        return this;
    }

    @Override
    public long size() throws IOException {
        return offload(channel::size);
    }

    @Override
    public RingFileChannel truncate(long size) throws IOException {
        offload(() -> channel.truncate(size));
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        offload(() -> {
            channel.force(metaData);
            return null;
        });
    }

    /** Checks its arguments and that the channel is open; the advice itself needs native access. */
    @Override
    public void advise(long position, long length, Advice advice) throws IOException {
        checkAdvice(position, length, advice);
        onCaller(channel::position); // throws ClosedChannelException when closed
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
     * A mapping, made on the caller's thread, whose arena may be confined to it. On an uninterruptible
     * channel the interrupt status is put aside meanwhile, so that the JDK's channel does not close.
     */
    private <T> T mapOnCaller(Callable<T> map) throws IOException {
        if (interruptible) {
            return onCaller(map);
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

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        try {
            return new RingFileLock(this, offload(() -> channel.lock(position, size, shared)));
        } catch (ClosedByInterruptException e) {
            throw new FileLockInterruptionException(); // what the JDK's lock throws when interrupted
        }
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        FileLock lock = onCaller(() -> channel.tryLock(position, size, shared));
        return lock == null ? null : new RingFileLock(this, lock);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "RingFileChannel[" + channel + "]";
    }

    /**
     * Runs {@code call}, a call on this channel that may block, on a pool thread and parks until it
     * ends. An interrupt while parked closes this channel (which ends the JDK call on the pool
     * thread), waits for the call to end, and throws {@link ClosedByInterruptException}. A caller
     * interrupted already makes the call itself: the JDK's channel checks its arguments, then sees the
     * interrupt and closes before any I/O, exactly as for its own callers.
     */
    private <T> T offload(Callable<T> call) throws IOException {
        if (!interruptible) {
            return PlatformThreads.awaitUninterruptibly(pool.submit(call));
        }
        if (Thread.currentThread().isInterrupted()) {
            return onCaller(call);
        }
        boolean wasOpen = isOpen();
        Future<T> future = pool.submit(call);
        boolean interrupted = false;
        for (;;) {
            try {
                T result = future.get();
                if (interrupted) {
                    throw closedByInterrupt();
                }
                return result;
            } catch (InterruptedException e) {
                if (!interrupted) {
                    close();
                }
                interrupted = true;
            } catch (ExecutionException e) {
                if (interrupted) {
                    throw closedByInterrupt();
                }
                if (wasOpen && e.getCause().getClass() == ClosedChannelException.class) {
                    // closed while this call waited for a pool thread: the JDK's caller would have been inside
                    throw new AsynchronousCloseException();
                }
                throw PlatformThreads.rethrow(e.getCause());
            }
        }
    }

    /**
     * A call made on the caller's thread; if an interrupt closed the JDK's channel, this one closes
     * too. On an uninterruptible channel the call runs on the pool, where no interrupt reaches it.
     */
    private <T> T onCaller(Callable<T> call) throws IOException {
        if (!interruptible) {
            return offload(call);
        }
        try {
            return call.call();
        } catch (ClosedByInterruptException | FileLockInterruptionException e) {
            close();
            throw e;
        } catch (Exception e) {
            throw PlatformThreads.rethrow(e);
        }
    }

    private static ClosedByInterruptException closedByInterrupt() {
        Thread.currentThread().interrupt();
        return new ClosedByInterruptException();
    }
}
