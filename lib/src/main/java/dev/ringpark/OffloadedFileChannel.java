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
import java.nio.channels.InterruptedByTimeoutException;
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
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

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
 *
 * <p>Deadlines, and interrupts under {@link RingOpenOption#INTERRUPT_CANCELS_CALL}, stop a call
 * without closing the channel where the JDK allows it: a call still queued for a pool thread is
 * taken off the queue; one running on a regular file takes bounded time and is waited for, its
 * result returned. The JDK has no way to stop a call blocked on a FIFO, pipe or device but closing
 * its channel (interrupting the pool thread closes it too), so such a call closes this channel,
 * waits for the call to end and throws {@link InterruptedByTimeoutException} or
 * {@link java.io.InterruptedIOException}.
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
    /** What an interrupt of a caller does; when it does nothing, every call runs on the pool. */
    private final InterruptPolicy interrupts;
    /** Whether the file is a FIFO, a device or a socket, whose calls may wait for ever: only a close stops them. */
    private final boolean mayWaitForever;
    /** Where this channel's calls run: {@link #POOL}, or {@link #STREAM_POOL} when they may wait for ever. */
    private final ExecutorService pool;
    /** The calls handed to the pool and not yet over: a close takes those still queued off the queue. */
    private final Set<PoolCall<?>> handedOver = ConcurrentHashMap.newKeySet();
    private final OffloadedTransfers transfers;

    private OffloadedFileChannel(FileChannel channel, InterruptPolicy interrupts, boolean mayWaitForever) {
        this.channel = channel;
        this.interrupts = interrupts;
        this.mayWaitForever = mayWaitForever;
        this.pool = mayWaitForever ? STREAM_POOL : POOL;
        this.transfers = new OffloadedTransfers(this, channel, pool);
    }

    /** The JDK's channel this one offloads: what another offloaded channel's transfer hands the JDK. */
    FileChannel jdkChannel() {
        return channel;
    }

    /** What an interrupt of a caller does. */
    InterruptPolicy interrupts() {
        return interrupts;
    }

    /** Why a call stopped the JDK call it waited for before it returned. */
    private enum Stop { DEADLINE, INTERRUPT }

    /**
     * A call handed to the pool that can be taken off the queue only if it has not started:
     * {@code Future.cancel(false)} alone would not do, since it also "cancels" a running task (which
     * runs on, into the caller's buffer, while its caller would be told it was cancelled). The pool
     * thread claims the call before running it; a canceller claims it to keep it from running; one of
     * the two compare-and-sets wins.
     */
    private static final class PoolCall<T> implements Callable<T> {
        private final Callable<T> call;
        private final AtomicBoolean claimed = new AtomicBoolean();
        /** Set right after submission, before any {@link #unqueue()}. */
        private Future<T> future;

        PoolCall(Callable<T> call) {
            this.call = call;
        }

        @Override
        public T call() throws Exception {
            if (!claimed.compareAndSet(false, true)) {
                throw new CancellationException("taken off the queue");
            }
            return call.call();
        }

        /** Keeps the call from ever running, if it has not started: then its future is cancelled. */
        boolean unqueue() {
            if (!claimed.compareAndSet(false, true)) {
                return false;
            }
            future.cancel(false);
            return true;
        }
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
                POOL.submit(() -> mayWaitForPeer(path, options) ? null : open.call()));
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
        return offload(() -> channel.read(dst), deadline);
    }

    @Override
    int read(ByteBuffer dst, long position, Deadline deadline) throws IOException {
        return offload(() -> channel.read(dst, position), deadline);
    }

    @Override
    int read(MemorySegment dst, long position, Deadline deadline) throws IOException {
        if (dst.isAccessibleBy(POOL_THREAD)) {
            ByteBuffer view = dst.asByteBuffer();
            return offload(() -> channel.read(view, position), deadline);
        }
        ByteBuffer bounce = bounceFor(dst); // confined to the caller: the pool cannot touch it
        int n = offload(() -> channel.read(bounce, position), deadline);
        MemorySegment.copy(MemorySegment.ofBuffer(bounce.flip()), 0, dst, 0, bounce.remaining());
        return n;
    }

    @Override
    long read(ByteBuffer[] dsts, int offset, int length, Deadline deadline) throws IOException {
        return offload(() -> channel.read(dsts, offset, length), deadline);
    }

    @Override
    int write(ByteBuffer src, Deadline deadline) throws IOException {
        return offload(() -> channel.write(src), deadline);
    }

    @Override
    int write(ByteBuffer src, long position, Deadline deadline) throws IOException {
        return offload(() -> channel.write(src, position), deadline);
    }

    @Override
    int write(MemorySegment src, long position, Deadline deadline) throws IOException {
        if (src.isAccessibleBy(POOL_THREAD)) {
            ByteBuffer view = src.asByteBuffer();
            return offload(() -> channel.write(view, position), deadline);
        }
        ByteBuffer bounce = bounceFor(src);
        MemorySegment.ofBuffer(bounce).copyFrom(src);
        return offload(() -> channel.write(bounce, position), deadline);
    }

    @Override
    long write(ByteBuffer[] srcs, int offset, int length, Deadline deadline) throws IOException {
        return offload(() -> channel.write(srcs, offset, length), deadline);
    }

    @Override
    void force(boolean metaData, Deadline deadline) throws IOException {
        offload(() -> {
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
     * A mapping, made on the caller's thread, whose arena may be confined to it. On a channel that
     * ignores interrupts the interrupt status is put aside meanwhile, so that the JDK's channel does
     * not close.
     */
    private <T> T mapOnCaller(Callable<T> map) throws IOException {
        if (jdkInterrupts() == InterruptPolicy.CLOSE_CHANNEL) {
            return onCaller(map, InterruptPolicy.CLOSE_CHANNEL);
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
            return new RingFileLock(this, offload(() -> channel.lock(position, size, shared), Deadline.NONE,
                    jdkInterrupts()));
        } catch (ClosedByInterruptException e) {
            throw new FileLockInterruptionException(); // what the JDK's lock throws when interrupted
        }
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        FileLock lock = onCaller(() -> channel.tryLock(position, size, shared), jdkInterrupts());
        return lock == null ? null : new RingFileLock(this, lock);
    }

    /**
     * Closes the JDK's channel, which ends the calls running on the pool, and takes the calls still
     * queued for a pool thread off the queue: their callers get {@link AsynchronousCloseException}
     * at once instead of when a thread frees.
     */
    @Override
    protected void implCloseChannel() throws IOException {
        channel.close();
        handedOver.forEach(PoolCall::unqueue);
    }

    @Override
    public String toString() {
        return "RingFileChannel[" + channel + "]";
    }

    /**
     * The policy for the calls left to the JDK's own semantics ({@code map}, {@code lock},
     * {@code tryLock}): an interrupt closes the channel, as the JDK's does, unless the channel ignores
     * interrupts.
     */
    private InterruptPolicy jdkInterrupts() {
        return interrupts == InterruptPolicy.IGNORE ? InterruptPolicy.IGNORE : InterruptPolicy.CLOSE_CHANNEL;
    }

    /** {@link #offload(Callable, Deadline, InterruptPolicy)} without a deadline, under the channel's policy. */
    private <T> T offload(Callable<T> call) throws IOException {
        return offload(call, Deadline.NONE, interrupts);
    }

    /** {@link #offload(Callable, Deadline, InterruptPolicy)} under the channel's policy. */
    private <T> T offload(Callable<T> call, Deadline deadline) throws IOException {
        return offload(call, deadline, interrupts);
    }

    /**
     * Runs {@code call}, a call on this channel that may block, on a pool thread and parks until it
     * ends. A caller interrupted already makes the call itself under {@link InterruptPolicy#CLOSE_CHANNEL}:
     * the JDK's channel checks its arguments, then sees the interrupt and closes before any I/O,
     * exactly as for its own callers; under {@link InterruptPolicy#CANCEL_CALL} it throws at once.
     *
     * <p>An interrupt while parked: closes this channel (which ends the JDK call on the pool thread,
     * or takes it off the queue), waits for the call to end and throws
     * {@link ClosedByInterruptException}; or, under {@link InterruptPolicy#CANCEL_CALL}, stops the call
     * ({@link #stop}) and throws {@link java.io.InterruptedIOException} unless it completed. The
     * deadline stops the call likewise and throws {@link InterruptedByTimeoutException} unless it
     * completed. A call that completed returns its result, the interrupt status set if one came.
     */
    private <T> T offload(Callable<T> call, Deadline deadline, InterruptPolicy policy) throws IOException {
        if (policy == InterruptPolicy.IGNORE && !deadline.isBounded()) {
            return PlatformThreads.awaitUninterruptibly(pool.submit(call));
        }
        if (Thread.currentThread().isInterrupted()) {
            switch (policy) {
                case CLOSE_CHANNEL -> {
                    return onCaller(call, policy);
                }
                case CANCEL_CALL -> throw InterruptPolicy.interrupted();
                case IGNORE -> { }
            }
        }
        boolean wasOpen = isOpen();
        PoolCall<T> handed = new PoolCall<>(call);
        Future<T> future = pool.submit(handed);
        handed.future = future;
        handedOver.add(handed);
        if (wasOpen && !isOpen()) {
            handed.unqueue(); // a close that began after wasOpen but before the add may not have seen it
        }
        boolean interrupted = false;
        Stop stopped = null;
        try {
            for (;;) {
                try {
                    T result = deadline.isBounded() && stopped == null
                            ? future.get(deadline.remainingNanos(), TimeUnit.NANOSECONDS) : future.get();
                    if (interrupted && policy == InterruptPolicy.CLOSE_CHANNEL) {
                        throw new ClosedByInterruptException();
                    }
                    return result;
                } catch (InterruptedException e) {
                    if (interrupted) {
                        continue; // the first interrupt decided
                    }
                    interrupted = true;
                    switch (policy) {
                        case CLOSE_CHANNEL -> {
                            handed.unqueue(); // not started: it never will; started: the close ends it
                            close();
                        }
                        case CANCEL_CALL -> {
                            if (stopped == null) {
                                stopped = Stop.INTERRUPT;
                                stop(handed);
                            }
                        }
                        case IGNORE -> { }
                    }
                } catch (TimeoutException e) {
                    stopped = Stop.DEADLINE;
                    stop(handed);
                } catch (CancellationException e) {
                    throw neverRan(stopped, interrupted, policy);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof CancellationException) {
                        // The pool thread took the call between unqueue()'s claim and its cancel of the future.
                        throw neverRan(stopped, interrupted, policy);
                    }
                    if (interrupted && policy == InterruptPolicy.CLOSE_CHANNEL) {
                        throw new ClosedByInterruptException();
                    }
                    if (stopped != null && mayWaitForever && e.getCause() instanceof ClosedChannelException) {
                        throw stoppedBy(stopped, interrupted, policy); // this call closed the channel to stop it
                    }
                    if (wasOpen && e.getCause().getClass() == ClosedChannelException.class) {
                        // closed while this call waited for a pool thread: the JDK's caller would have been inside
                        throw new AsynchronousCloseException();
                    }
                    throw PlatformThreads.rethrow(e.getCause());
                }
            }
        } finally {
            handedOver.remove(handed);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Stops the JDK call {@code future} runs, if the JDK allows it without closing: off the queue when
     * it has not started; on a regular file it is left to end (it takes bounded time); on a FIFO, a
     * device or a socket, where it may wait for ever, only closing the channel ends it.
     */
    private void stop(PoolCall<?> call) throws IOException {
        if (!call.unqueue() && mayWaitForever) {
            close();
        }
    }

    /** What a call taken off the queue, by itself ({@code stopped}) or by a close, throws: nothing ran. */
    private static IOException neverRan(Stop stopped, boolean interrupted, InterruptPolicy policy) {
        if (stopped == null && !(interrupted && policy == InterruptPolicy.CLOSE_CHANNEL)) {
            return new AsynchronousCloseException();
        }
        return stoppedBy(stopped, interrupted, policy);
    }

    /** What a call stopped before it completed throws. */
    private static IOException stoppedBy(Stop stopped, boolean interrupted, InterruptPolicy policy) {
        if (interrupted && policy == InterruptPolicy.CLOSE_CHANNEL) {
            return new ClosedByInterruptException();
        }
        if (stopped == Stop.INTERRUPT || interrupted && policy == InterruptPolicy.CANCEL_CALL) {
            return InterruptPolicy.interrupted();
        }
        return Deadline.timedOut();
    }

    /** {@link #onCaller(Callable, InterruptPolicy)} under the channel's policy. */
    private <T> T onCaller(Callable<T> call) throws IOException {
        return onCaller(call, interrupts);
    }

    /**
     * A call made on the caller's thread; if an interrupt closed the JDK's channel, this one closes
     * too. Unless interrupts close the channel, the call runs on the pool instead, where no interrupt
     * of the caller reaches the JDK's channel (which would close itself).
     */
    private <T> T onCaller(Callable<T> call, InterruptPolicy policy) throws IOException {
        if (policy != InterruptPolicy.CLOSE_CHANNEL) {
            return offload(call, Deadline.NONE, policy);
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
}
