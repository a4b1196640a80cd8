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
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
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
 * kernel has let go of the buffer, closes the channel and throws {@link ClosedByInterruptException};
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
 * transfer that an interrupt ends closes both channels, as {@link FileChannel#transferTo} says.
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
 */
public abstract sealed class RingFileChannel extends FileChannel permits PollerFileChannel, OffloadedFileChannel {
    /** Only Ringpark's own channels extend this class. */
    RingFileChannel() {
    }

    /**
     * Opens or creates a file, as {@link FileChannel#open(Path, OpenOption...)} does.
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
     * Opens or creates a file, as {@link FileChannel#open(Path, Set, FileAttribute[])} does.
     *
     * @param path       the file
     * @param options    how to open it; READ when none is given
     * @param attributes for a created file: at most {@code posix:permissions}
     * @return a new channel
     * @throws IOException as {@link #open(Path, OpenOption...)}
     */
    public static RingFileChannel open(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attributes)
            throws IOException {
        return open(path, options, true, attributes);
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
        return open(path, options, false, attributes);
    }

    private static RingFileChannel open(Path path, Set<? extends OpenOption> options, boolean interruptible,
                                        FileAttribute<?>... attributes) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        OpenRequest request = OpenRequest.of(options, attributes);
        if (Ringpark.offloaded()) {
            // The platform's own path: a path of Ringpark's provider would make the JDK's open on the pool
            // come back to the provider, and so to this pool, which may be full of such opens.
            return OffloadedFileChannel.openOnPool(RingFileSystem.unwrap(path), options, interruptible, attributes);
        }
        return PathOpener.open(Ringpark.poller(), path, interruptible ? request : request.uninterruptible());
    }

    /** Opens through {@code poller}: the process-wide one, or a test's own. */
    static RingFileChannel open(Poller poller, Path path, Set<? extends OpenOption> options,
                                FileAttribute<?>... attributes) throws IOException {
        return PathOpener.open(poller, Objects.requireNonNull(path, "path"), OpenRequest.of(options, attributes));
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
    public abstract int read(MemorySegment dst, long position) throws IOException;

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
    public abstract int write(MemorySegment src, long position) throws IOException;

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
