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
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

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
    private static final ExecutorService POOL = Executors.newFixedThreadPool(Ringpark.threads(), new DaemonThreads());

    /**
     * Stands for any pool thread in {@link MemorySegment#isAccessibleBy}: a segment confined to the
     * caller cannot be handed to the pool and is copied instead.
     */
    private static final Thread POOL_THREAD = Thread.ofPlatform().unstarted(() -> { });

    private static final int PAGE_BYTES = 4096;

    private final FileChannel channel;

    private OffloadedFileChannel(FileChannel channel) {
        this.channel = channel;
    }

    /** Opens as {@link FileChannel#open(Path, Set, FileAttribute[])}, on a pool thread. */
    static RingFileChannel openOnPool(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attributes)
            throws IOException {
        return new OffloadedFileChannel(offload(null, () -> FileChannel.open(path, options, attributes)));
    }

    /** The settings {@link Ringpark#driver()} reports. */
    static String setup() {
        return "JDK FileChannel calls on up to " + Ringpark.threads() + " platform threads";
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return offload(this, () -> channel.read(dst));
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return offload(this, () -> channel.read(dst, position));
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
        return offload(this, () -> channel.read(dsts, offset, length));
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return offload(this, () -> channel.write(src));
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return offload(this, () -> channel.write(src, position));
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
        return offload(this, () -> channel.write(srcs, offset, length));
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
        return offload(this, channel::size);
    }

    @Override
    public RingFileChannel truncate(long size) throws IOException {
        offload(this, () -> channel.truncate(size));
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        offload(this, () -> {
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

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return offload(this, () -> channel.transferTo(position, count, target));
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return offload(this, () -> channel.transferFrom(src, position, count));
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return onCaller(() -> channel.map(mode, position, size));
    }

    @Override
    public MemorySegment map(MapMode mode, long offset, long size, Arena arena) throws IOException {
        return onCaller(() -> channel.map(mode, offset, size, arena));
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        try {
            return new RingFileLock(this, offload(this, () -> channel.lock(position, size, shared)));
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
     * Runs {@code call} on a pool thread and parks until it ends. An interrupt closes {@code owner},
     * waits for the call to end, and throws {@link ClosedByInterruptException}; without an owner (an
     * open) the call's result is returned with the interrupt status set.
     */
    private static <T> T offload(RingFileChannel owner, Callable<T> call) throws IOException {
        boolean wasOpen = owner == null || owner.isOpen();
        Future<T> future = POOL.submit(call);
        boolean interrupted = false;
        for (;;) {
            try {
                T result = future.get();
                // Interrupted before or during the call: the JDK's channel closes and throws (an open does not).
                if (owner != null && (interrupted || Thread.currentThread().isInterrupted())) {
                    owner.close();
                    throw closedByInterrupt();
                }
                if (interrupted) {
                    Thread.currentThread().interrupt(); // an open is not interruptible: it keeps the status
                }
                return result;
            } catch (InterruptedException e) {
                if (!interrupted && owner != null) {
                    owner.close();
                }
                interrupted = true;
            } catch (ExecutionException e) {
                if (interrupted && owner != null) {
                    throw closedByInterrupt();
                }
                if (wasOpen && e.getCause().getClass() == ClosedChannelException.class) {
                    // closed while this call waited for a pool thread: the JDK's caller would have been inside
                    throw new AsynchronousCloseException();
                }
                throw rethrow(e.getCause());
            }
        }
    }

    /** A call made on the caller's thread; if an interrupt closed the JDK's channel, this one closes too. */
    private <T> T onCaller(Callable<T> call) throws IOException {
        try {
            return call.call();
        } catch (ClosedByInterruptException e) {
            close();
            throw e;
        } catch (Exception e) {
            throw rethrow(e);
        }
    }

    private static ClosedByInterruptException closedByInterrupt() {
        Thread.currentThread().interrupt();
        return new ClosedByInterruptException();
    }

    private static IOException rethrow(Throwable cause) {
        return switch (cause) {
            case IOException io -> io;
            case RuntimeException runtime -> throw runtime;
            case Error error -> throw error;
            default -> new IOException(cause);
        };
    }

    /** Names the pool's threads and keeps them from holding the JVM up. */
    private static final class DaemonThreads implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger created = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            return Thread.ofPlatform().daemon().name("ringpark-io-" + created.incrementAndGet()).unstarted(task);
        }
    }
}
