package dev.ringpark;

import dev.ringpark.poller.NativeBufferPool;
import dev.ringpark.poller.Poller;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link FileChannel} whose blocking calls park the calling thread while Ringpark's poller thread
 * has the kernel do the work, through io_uring where the system allows it (else Linux AIO, else a
 * pool of platform threads: {@link Ringpark#driver()} says which). A virtual thread blocked here
 * holds no carrier, and however many virtual threads wait, the process has the same few OS threads.
 *
 * <p>It behaves as {@link FileChannel#open} documents: the same options, the same exceptions, the
 * same edge cases. In particular an interrupt while blocked cancels the operation, waits until the
 * kernel has let go of the buffer, closes the channel and throws {@link ClosedByInterruptException}
 * (with {@link RingOpenOption#INTERRUPT_CANCELS_CALL} it cancels the interrupted call alone);
 * closing the channel cancels what is in flight (those callers get
 * {@link AsynchronousCloseException}) and closes the descriptor only after every operation on it has
 * completed.
 *
 * <p>Through the poller: every read and write (relative, positional, scattering, gathering, and the
 * {@link MemorySegment} forms), {@link #force}, {@link #size}, {@link #truncate}, open, close and the
 * unlink of DELETE_ON_CLOSE. A buffered read first tries {@code preadv2(RWF_NOWAIT)} on the calling
 * thread, which answers at once from the page cache and refuses ({@code EAGAIN}) rather than block.
 * The open of a FIFO, which waits until another opens its other end, runs on a platform thread of
 * its own instead, so that any number of them may wait at once.
 * Direct buffers and native segments go to the kernel as they are; heap memory goes through pooled
 * native buffers (pooled up to {@value NativeBufferPool#MAX_BUFFER_BYTES} bytes): one operation per
 * call, as the JDK makes one system call, so a close never tears a write in two.
 *
 * <p>{@link #transferTo} and {@link #transferFrom} between two of Ringpark's channels are made by the
 * kernel through the poller, the bytes never passing through Java memory: {@code copy_file_range}
 * between files (or {@code sendfile} where it refuses the pair, as the JDK does), {@code splice} to
 * and from a FIFO. With any other channel at the other end (a socket, a pipe, the JDK's own
 * {@code FileChannel}), whose descriptor only the JDK's internals could reach, they copy through a
 * pooled native buffer. Either way the counts, positions and exceptions are the JDK's, and a
 * transfer that an interrupt ends closes both channels, as {@link FileChannel#transferTo} says
 * (under {@link RingOpenOption#INTERRUPT_CANCELS_CALL}, neither: it returns what moved, or throws
 * {@link java.io.InterruptedIOException}).
 *
 * <p>Simpler paths, for now: {@link #position()} and {@link #position(long)} call {@code lseek} on
 * the calling thread (it never blocks); {@link #map}, {@link #lock} and {@link #tryLock} delegate to a
 * JDK {@code FileChannel} opened on the same file through {@code /proc/self/fd}, so {@code lock}
 * blocks its carrier as the JDK's does.
 *
 * <p>Without native access ({@code --illegal-native-access=deny} and no
 * {@code --enable-native-access} for Ringpark) there is no poller: a channel is then the JDK's
 * {@code FileChannel}, each blocking call of which runs on one of Ringpark's platform threads while
 * the caller parks, and {@link Ringpark#driver()} says so.
 *
 * <p>The memory of a {@link MemorySegment} from a shared arena must stay alive until the call
 * returns: do not close its arena from another thread meanwhile.
 *
 * <h2 id="deadlines">Deadlines</h2>
 * Every read and write, and {@link #force(boolean, Duration) force}, has a form that takes a
 * {@code timeout}: the call must be over within that time from when it starts (waiting for the lock
 * that orders relative transfers included). If it is not, the operation in flight is cancelled, the
 * call waits until the kernel has let go of the buffer (so the buffer is never written after the call
 * returns), and it throws {@link InterruptedByTimeoutException}. The channel stays open, the thread's
 * interrupt status is untouched, and the file position of a relative transfer does not move.
 * <ul>
 *   <li><b>Partial progress.</b> A transfer that had moved some bytes when its time ran out returns
 *       their count instead, as a short read or write would (the buffer's position and, for a
 *       relative transfer, the file position move by that much); the exception therefore means that
 *       nothing was transferred. A pipe write, which the kernel may do in several steps, is the usual
 *       case: the bytes the reader gets are exactly the count returned.</li>
 *   <li><b>What can be cancelled.</b> A read or write of a pipe, FIFO or device, and any operation
 *       still queued (in the kernel, or in Ringpark's backlog or pool), is cancelled at its deadline.
 *       An operation the kernel has started on a regular file (a read from the disk, an
 *       {@code fsync}) cannot be stopped: it runs to its end and the call returns its result, late;
 *       it takes bounded time. So a deadline bounds waiting, not the device.</li>
 *   <li><b>Completion racing the deadline.</b> An operation that completes just as its deadline
 *       passes returns its result: a read that got data returns it.</li>
 *   <li><b>Zero or negative timeouts</b> do only what needs no waiting: a read the page cache
 *       answers returns its data; anything that would have to wait times out at once.</li>
 *   <li><b>Drivers.</b> On io_uring the kernel times the operation out itself (a linked timeout);
 *       on the Linux AIO and thread-pool drivers the waiting caller cancels it at its deadline, as an
 *       interrupt does (Linux AIO cannot cancel an {@code O_DIRECT} transfer: it completes, in bounded
 *       time). Without native access a call still queued for a pool thread is cancelled, a call on a
 *       regular file runs to its end, and a call blocked on a FIFO, pipe or device, which only closing
 *       the JDK's channel can stop, closes this channel and throws
 *       {@link InterruptedByTimeoutException} (or returns the count of a write the close cut short;
 *       a write the JDK reports as closed may have moved bytes all the same).</li>
 * </ul>
 * A close, and (unless the channel was opened with {@link RingOpenOption#INTERRUPT_CANCELS_CALL})
 * an interrupt, ends a call with a deadline as they end any other.
 */
public abstract sealed class RingFileChannel extends FileChannel permits PollerFileChannel, OffloadedFileChannel {
    /** Only Ringpark's own channels extend this class. */
    RingFileChannel() {
    }

    /**
     * Opens or creates a file, as {@link FileChannel#open(Path, OpenOption...)} does. Besides the
     * JDK's options, Ringpark's own {@link RingOpenOption}s are accepted.
     *
     * @param path    the file
     * @param options how to open it; READ when none is given
     * @return a new channel
     * @throws IOException the JDK's exception for the same failure ({@code NoSuchFileException},
     *         {@code AccessDeniedException}, {@code FileAlreadyExistsException},
     *         {@code FileSystemException} with the path and the reason), or an {@code IOException}
     *         saying why Ringpark cannot run here
     */
    public static RingFileChannel open(Path path, OpenOption... options) throws IOException {
        // As FileChannel.open: an option given twice counts once (Set.of would refuse it), and a null
        // array or element throws NullPointerException.
        Set<OpenOption> set = new HashSet<>(options.length);
        Collections.addAll(set, options);
        return open(path, set);
    }

    /**
     * Opens or creates a file, as {@link FileChannel#open(Path, Set, FileAttribute[])} does. Besides
     * the JDK's options, Ringpark's own {@link RingOpenOption}s are accepted.
     *
     * @param path       the file
     * @param options    how to open it; READ when none is given
     * @param attributes for a created file: at most {@code posix:permissions}
     * @return a new channel
     * @throws IOException as {@link #open(Path, OpenOption...)}
     */
    public static RingFileChannel open(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attributes)
            throws IOException {
        return open(path, OpenRequest.withRingparkOptions(options, attributes), options, attributes);
    }

    /**
     * Opens as {@code FileChannel.open} does, with the JDK's options only: for the drop-in provider
     * and its directory streams, whose callers get the JDK's {@link UnsupportedOperationException} for
     * an option the JDK does not know, Ringpark's included.
     */
    static RingFileChannel openWithJdkOptions(Path path, Set<? extends OpenOption> options,
                                              FileAttribute<?>... attributes) throws IOException {
        return open(path, OpenRequest.of(options, attributes), options, attributes);
    }

    /**
     * Opens as {@link #open(Path, Set, FileAttribute[])}, a channel whose calls no interrupt of the
     * caller closes or cancels: each completes as if there had been none, and the caller's interrupt
     * status stays set. The JDK makes the channels behind {@code Files.newInputStream} and
     * {@code newOutputStream} so; code whose executor interrupts its workers must not find its
     * streams closed.
     */
    static RingFileChannel openUninterruptible(Path path, Set<? extends OpenOption> options,
                                               FileAttribute<?>... attributes) throws IOException {
        return open(path, OpenRequest.of(options, attributes).uninterruptible(), options, attributes);
    }

    private static RingFileChannel open(Path path, OpenRequest request, Set<? extends OpenOption> options,
                                        FileAttribute<?>... attributes) throws IOException {
        Objects.requireNonNull(path, "path");
        if (Ringpark.offloaded()) {
            // The platform's own path: a path of Ringpark's provider would make the JDK's open on the pool
            // come back to the provider, and so to this pool, which may be full of such opens.
            return OffloadedFileChannel.openOnPool(RingFileSystem.unwrap(path), OpenRequest.jdkOptions(options),
                    request.interrupts(), attributes);
        }
        return PathOpener.open(Ringpark.poller(), path, request);
    }

    /** Opens through {@code poller}: the process-wide one, or a test's own; Ringpark's options too. */
    static RingFileChannel open(Poller poller, Path path, Set<? extends OpenOption> options,
                                FileAttribute<?>... attributes) throws IOException {
        return PathOpener.open(poller, Objects.requireNonNull(path, "path"),
                OpenRequest.withRingparkOptions(options, attributes));
    }

    /**
     * Reads into native or heap memory at {@code position}, as {@link #read(ByteBuffer, long)} does.
     *
     * @param dst      where the bytes go: native memory goes to the kernel as it is
     * @param position where in the file to read
     * @return the bytes read, possibly fewer than {@code dst.byteSize()}; -1 at end of file;
     *         0 when {@code dst} is empty
     * @throws IllegalArgumentException when {@code position} is negative or {@code dst} is read-only
     * @throws IllegalStateException when the arena of {@code dst} is closed
     * @throws WrongThreadException when {@code dst} is confined to another thread
     * @throws IOException as {@link #read(ByteBuffer, long)}
     */
    public final int read(MemorySegment dst, long position) throws IOException {
        return read(dst, position, Deadline.NONE);
    }

    /**
     * Writes native or heap memory at {@code position}, as {@link #write(ByteBuffer, long)} does.
     *
     * @param src      the bytes to write: native memory goes to the kernel as it is
     * @param position where in the file to write
     * @return the bytes written
     * @throws IllegalArgumentException when {@code position} is negative
     * @throws IllegalStateException when the arena of {@code src} is closed
     * @throws WrongThreadException when {@code src} is confined to another thread
     * @throws IOException as {@link #write(ByteBuffer, long)}
     */
    public final int write(MemorySegment src, long position) throws IOException {
        return write(src, position, Deadline.NONE);
    }

    /**
     * Reads at the file position, as {@link #read(ByteBuffer)} does, within {@code timeout} (see
     * <a href="#deadlines">Deadlines</a>).
     *
     * @param dst     where the bytes go
     * @param timeout how long the call may take, from now; zero or negative: only what needs no waiting
     * @return the bytes read, possibly fewer than {@code dst.remaining()} (all that was read when the
     *         time ran out after some bytes came); -1 at end of file; 0 when {@code dst} is full
     * @throws InterruptedByTimeoutException when the time ran out before any byte was read; the
     *         channel stays open and its position does not move
     * @throws NullPointerException when {@code timeout} is {@code null}
     * @throws NonReadableChannelException when the channel was not opened for reading
     * @throws IOException as {@link #read(ByteBuffer)}
     */
    public final int read(ByteBuffer dst, Duration timeout) throws IOException {
        return read(dst, Deadline.after(timeout));
    }

    /**
     * Reads at {@code position}, as {@link #read(ByteBuffer, long)} does, within {@code timeout}
     * (see <a href="#deadlines">Deadlines</a>).
     *
     * @param dst      where the bytes go
     * @param position where in the file to read
     * @param timeout  how long the call may take, from now; zero or negative: only what needs no waiting
     * @return the bytes read, possibly fewer than {@code dst.remaining()} (all that was read when the
     *         time ran out after some bytes came); -1 at end of file
     * @throws InterruptedByTimeoutException when the time ran out before any byte was read; the
     *         channel stays open
     * @throws NullPointerException when {@code timeout} is {@code null}
     * @throws IllegalArgumentException when {@code position} is negative
     * @throws NonReadableChannelException when the channel was not opened for reading
     * @throws IOException as {@link #read(ByteBuffer, long)}
     */
    public final int read(ByteBuffer dst, long position, Duration timeout) throws IOException {
        return read(dst, position, Deadline.after(timeout));
    }

    /**
     * Reads into native or heap memory at {@code position}, as {@link #read(MemorySegment, long)}
     * does, within {@code timeout} (see <a href="#deadlines">Deadlines</a>).
     *
     * @param dst      where the bytes go: native memory goes to the kernel as it is
     * @param position where in the file to read
     * @param timeout  how long the call may take, from now; zero or negative: only what needs no waiting
     * @return the bytes read, possibly fewer than {@code dst.byteSize()}; -1 at end of file; 0 when
     *         {@code dst} is empty
     * @throws InterruptedByTimeoutException when the time ran out before any byte was read; the
     *         channel stays open
     * @throws NullPointerException when {@code timeout} is {@code null}
     * @throws IllegalArgumentException when {@code position} is negative or {@code dst} is read-only
     * @throws IllegalStateException when the arena of {@code dst} is closed
     * @throws WrongThreadException when {@code dst} is confined to another thread
     * @throws IOException as {@link #read(ByteBuffer, long)}
     */
    public final int read(MemorySegment dst, long position, Duration timeout) throws IOException {
        return read(dst, position, Deadline.after(timeout));
    }

    /**
     * Reads into a sequence of buffers at the file position, as
     * {@link #read(ByteBuffer[], int, int)} does, within {@code timeout} (see
     * <a href="#deadlines">Deadlines</a>).
     *
     * @param dsts    where the bytes go
     * @param offset  the first buffer to fill
     * @param length  how many buffers, at most, to fill
     * @param timeout how long the call may take, from now; zero or negative: only what needs no waiting
     * @return the bytes read, possibly fewer than the buffers hold; -1 at end of file
     * @throws InterruptedByTimeoutException when the time ran out before any byte was read; the
     *         channel stays open and its position does not move
     * @throws NullPointerException when {@code timeout} is {@code null}
     * @throws IndexOutOfBoundsException when {@code offset} and {@code length} do not fit {@code dsts}
     * @throws NonReadableChannelException when the channel was not opened for reading
     * @throws IOException as {@link #read(ByteBuffer[], int, int)}
     */
    public final long read(ByteBuffer[] dsts, int offset, int length, Duration timeout) throws IOException {
        return read(dsts, offset, length, Deadline.after(timeout));
    }

    /**
     * Reads into a sequence of buffers at the file position, as {@link #read(ByteBuffer[])} does,
     * within {@code timeout}: {@code read(dsts, 0, dsts.length, timeout)}.
     *
     * @param dsts    where the bytes go
     * @param timeout how long the call may take, from now; zero or negative: only what needs no waiting
     * @return the bytes read, possibly fewer than the buffers hold; -1 at end of file
     * @throws InterruptedByTimeoutException when the time ran out before any byte was read; the
     *         channel stays open and its position does not move
     * @throws IOException as {@link #read(ByteBuffer[], int, int, Duration)}
     */
    public final long read(ByteBuffer[] dsts, Duration timeout) throws IOException {
        return read(dsts, 0, dsts.length, timeout);
    }

    /**
     * Writes at the file position (at the end in append mode), as {@link #write(ByteBuffer)} does,
     * within {@code timeout} (see <a href="#deadlines">Deadlines</a>).
     *
     * @param src     the bytes to write
     * @param timeout how long the call may take, from now; zero or negative: only what needs no waiting
     * @return the bytes written, fewer than {@code src.remaining()} when the time ran out after some
     *         were: exactly those are in the file (or the pipe), and {@code src} advanced past them
     * @throws InterruptedByTimeoutException when the time ran out before any byte was written; the
     *         channel stays open and its position does not move
     * @throws NullPointerException when {@code timeout} is {@code null}
     * @throws NonWritableChannelException when the channel was not opened for writing
     * @throws IOException as {@link #write(ByteBuffer)}
     */
    public final int write(ByteBuffer src, Duration timeout) throws IOException {
        return write(src, Deadline.after(timeout));
    }

    /**
     * Writes at {@code position}, as {@link #write(ByteBuffer, long)} does, within {@code timeout}
     * (see <a href="#deadlines">Deadlines</a>).
     *
     * @param src      the bytes to write
     * @param position where in the file to write
     * @param timeout  how long the call may take, from now; zero or negative: only what needs no waiting
     * @return the bytes written, fewer than {@code src.remaining()} when the time ran out after some
     *         were: exactly those are in the file, and {@code src} advanced past them
     * @throws InterruptedByTimeoutException when the time ran out before any byte was written; the
     *         channel stays open
     * @throws NullPointerException when {@code timeout} is {@code null}
     * @throws IllegalArgumentException when {@code position} is negative
     * @throws NonWritableChannelException when the channel was not opened for writing
     * @throws IOException as {@link #write(ByteBuffer, long)}
     */
    public final int write(ByteBuffer src, long position, Duration timeout) throws IOException {
        return write(src, position, Deadline.after(timeout));
    }

    /**
     * Writes native or heap memory at {@code position}, as {@link #write(MemorySegment, long)} does,
     * within {@code timeout} (see <a href="#deadlines">Deadlines</a>).
     *
     * @param src      the bytes to write: native memory goes to the kernel as it is
     * @param position where in the file to write
     * @param timeout  how long the call may take, from now; zero or negative: only what needs no waiting
     * @return the bytes written, fewer than {@code src.byteSize()} when the time ran out after some
     *         were: exactly those are in the file
     * @throws InterruptedByTimeoutException when the time ran out before any byte was written; the
     *         channel stays open
     * @throws NullPointerException when {@code timeout} is {@code null}
     * @throws IllegalArgumentException when {@code position} is negative
     * @throws IllegalStateException when the arena of {@code src} is closed
     * @throws WrongThreadException when {@code src} is confined to another thread
     * @throws IOException as {@link #write(ByteBuffer, long)}
     */
    public final int write(MemorySegment src, long position, Duration timeout) throws IOException {
        return write(src, position, Deadline.after(timeout));
    }

    /**
     * Writes a sequence of buffers at the file position (at the end in append mode), as
     * {@link #write(ByteBuffer[], int, int)} does, within {@code timeout} (see
     * <a href="#deadlines">Deadlines</a>).
     *
     * @param srcs    the bytes to write
     * @param offset  the first buffer to write
     * @param length  how many buffers, at most, to write
     * @param timeout how long the call may take, from now; zero or negative: only what needs no waiting
     * @return the bytes written, fewer than the buffers hold when the time ran out after some were:
     *         exactly those are in the file (or the pipe), and the buffers advanced past them
     * @throws InterruptedByTimeoutException when the time ran out before any byte was written; the
     *         channel stays open and its position does not move
     * @throws NullPointerException when {@code timeout} is {@code null}
     * @throws IndexOutOfBoundsException when {@code offset} and {@code length} do not fit {@code srcs}
     * @throws NonWritableChannelException when the channel was not opened for writing
     * @throws IOException as {@link #write(ByteBuffer[], int, int)}
     */
    public final long write(ByteBuffer[] srcs, int offset, int length, Duration timeout) throws IOException {
        return write(srcs, offset, length, Deadline.after(timeout));
    }

    /**
     * Writes a sequence of buffers at the file position, as {@link #write(ByteBuffer[])} does, within
     * {@code timeout}: {@code write(srcs, 0, srcs.length, timeout)}.
     *
     * @param srcs    the bytes to write
     * @param timeout how long the call may take, from now; zero or negative: only what needs no waiting
     * @return the bytes written, fewer than the buffers hold when the time ran out after some were
     * @throws InterruptedByTimeoutException when the time ran out before any byte was written; the
     *         channel stays open and its position does not move
     * @throws IOException as {@link #write(ByteBuffer[], int, int, Duration)}
     */
    public final long write(ByteBuffer[] srcs, Duration timeout) throws IOException {
        return write(srcs, 0, srcs.length, timeout);
    }

    /**
     * Forces the file's updates to the device, as {@link #force(boolean)} does, within
     * {@code timeout} (see <a href="#deadlines">Deadlines</a>). Only an {@code fsync} that has not
     * started yet (still queued) can be cancelled; one the kernel has started runs to its end, and
     * this returns when it has, however late.
     *
     * @param metaData whether the file's metadata must be written too, not only its content
     * @param timeout  how long the call may take, from now; zero or negative: only what needs no waiting
     * @throws InterruptedByTimeoutException when the time ran out before the {@code fsync} started:
     *         nothing was forced; the channel stays open
     * @throws NullPointerException when {@code timeout} is {@code null}
     * @throws IOException as {@link #force(boolean)}
     */
    public final void force(boolean metaData, Duration timeout) throws IOException {
        force(metaData, Deadline.after(timeout));
    }

    @Override
    public final int read(ByteBuffer dst) throws IOException {
        return read(dst, Deadline.NONE);
    }

    @Override
    public final int read(ByteBuffer dst, long position) throws IOException {
        return read(dst, position, Deadline.NONE);
    }

    @Override
    public final long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return read(dsts, offset, length, Deadline.NONE);
    }

    @Override
    public final int write(ByteBuffer src) throws IOException {
        return write(src, Deadline.NONE);
    }

    @Override
    public final int write(ByteBuffer src, long position) throws IOException {
        return write(src, position, Deadline.NONE);
    }

    @Override
    public final long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return write(srcs, offset, length, Deadline.NONE);
    }

    @Override
    public final void force(boolean metaData) throws IOException {
        force(metaData, Deadline.NONE);
    }

    // What each implementation makes of a transfer and of a force: the public methods above, with and
    // without a timeout, are these with the deadline worked out (Deadline.NONE: none).

    abstract int read(ByteBuffer dst, Deadline deadline) throws IOException;

    abstract int read(ByteBuffer dst, long position, Deadline deadline) throws IOException;

    abstract int read(MemorySegment dst, long position, Deadline deadline) throws IOException;

    abstract long read(ByteBuffer[] dsts, int offset, int length, Deadline deadline) throws IOException;

    abstract int write(ByteBuffer src, Deadline deadline) throws IOException;

    abstract int write(ByteBuffer src, long position, Deadline deadline) throws IOException;

    abstract int write(MemorySegment src, long position, Deadline deadline) throws IOException;

    abstract long write(ByteBuffer[] srcs, int offset, int length, Deadline deadline) throws IOException;

    abstract void force(boolean metaData, Deadline deadline) throws IOException;

    @Override
    public abstract RingFileChannel position(long newPosition) throws IOException;

    @Override
    public abstract RingFileChannel truncate(long size) throws IOException;

    /** What {@link #advise} tells the kernel about a range of the file ({@code posix_fadvise(2)}). */
    public enum Advice {
        /** No particular pattern: the default read-ahead. */
        NORMAL(0),
        /** Random access: no read-ahead. */
        RANDOM(1),
        /** Sequential access: more read-ahead. */
        SEQUENTIAL(2),
        /** The range will be needed soon: start reading it into the page cache. */
        WILL_NEED(3),
        /** The range will not be needed: drop its clean pages from the page cache. */
        DONT_NEED(4),
        /** The range will be accessed once. */
        NO_REUSE(5);

        private final int value;

        Advice(int value) {
            this.value = value;
        }

        /** The {@code POSIX_FADV_} constant. */
        int value() {
            return value;
        }
    }

    /**
     * Tells the kernel how the range will be used, through the poller ({@code posix_fadvise(2)}).
     * {@link Advice#DONT_NEED} drops the range's clean pages from the page cache (dirty ones stay:
     * {@link #force} first), which makes the next reads of it go to the device. Without native access
     * there is no way to tell the kernel: the arguments are checked and the advice is dropped.
     *
     * @param position where the range starts
     * @param length   the range's length; 0 means "to the end of the file"
     * @param advice   what to tell the kernel
     * @throws IllegalArgumentException when {@code position} or {@code length} is negative
     * @throws ClosedChannelException when the channel is closed
     * @throws IOException when the kernel refuses the advice
     */
    public abstract void advise(long position, long length, Advice advice) throws IOException;

    /** Checks {@link #advise}'s arguments, in the order the implementations share. */
    static void checkAdvice(long position, long length, Advice advice) {
        Objects.requireNonNull(advice, "advice");
        if (position < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        if (length < 0) {
            throw new IllegalArgumentException("Negative length");
        }
    }
}
