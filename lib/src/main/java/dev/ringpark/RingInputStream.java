package dev.ringpark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Objects;

/**
 * The stream of {@code Files.newInputStream} over a Ringpark channel: what the JDK's
 * {@code sun.nio.ch.ChannelInputStream} does over its own file channel, call for call. Like it, it
 * has no buffer of its own (each {@code read} is one read of the channel, into the caller's array),
 * and {@link #readAllBytes}, {@link #readNBytes(int)}, {@link #skip} and {@link #available} use the
 * file's size and position where the file is a regular one.
 *
 * <p>The JDK asks its channel whether the file is "other" than a regular file, directory or link (a
 * FIFO, a device). Ringpark's channel does not say, so this stream works it out when it matters:
 * a channel that cannot tell its position is a pipe or FIFO; a file whose size is not 0 is regular;
 * for the rest (empty files, {@code /proc} files, devices) the path's attributes decide. Where the
 * sizes decide anyway ({@code readAllBytes}, {@code readNBytes}: every "other" file has size 0) it
 * does not ask. {@link #available()} of a pipe or FIFO is 0 (the JDK asks the kernel how many bytes
 * wait: {@code FIONREAD}).
 */
final class RingInputStream extends InputStream {
    /** The JDK's: the least a growing {@link #readAllBytes} buffer grows to. */
    private static final int DEFAULT_BUFFER_SIZE = 8192;
    /** {@code InputStream.transferTo}'s buffer: the first read of a {@link #transferTo}. */
    private static final int FIRST_TRANSFER_BYTES = 16384;
    /** The buffer of a {@link #transferTo}'s later reads. */
    private static final int TRANSFER_BYTES = 128 * 1024;

    private final FileChannel channel;
    /** The platform's path the channel was opened on, to tell an empty file from a device. */
    private final Path path;
    private ByteBuffer bb;
    private byte[] bs; // the caller's previous array
    private byte[] b1;
    private Boolean isOther;

    RingInputStream(FileChannel channel, Path path) {
        this.channel = channel;
        this.path = path;
    }

    /** The channel this stream reads, for a stream that transfers to it or from it. */
    FileChannel channel() {
        return channel;
    }

    @Override
    public synchronized int read() throws IOException {
        if (b1 == null) {
            b1 = new byte[1];
        }
        int n = read(b1);
        if (n == 1) {
            return b1[0] & 0xff;
        }
        return -1;
    }

    @Override
    public synchronized int read(byte[] bytes, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, bytes.length);
        if (len == 0) {
            return 0;
        }
        ByteBuffer buffer = this.bs == bytes ? this.bb : ByteBuffer.wrap(bytes);
        buffer.limit(Math.min(off + len, buffer.capacity()));
        buffer.position(off);
        this.bb = buffer;
        this.bs = bytes;
        return channel.read(buffer);
    }

    @Override
    public byte[] readAllBytes() throws IOException {
        long length = channel.size();
        if (length <= 0) {
            return super.readAllBytes(); // every file but a regular one has size 0
        }
        long position = channel.position();
        long size = length - position;
        if (size <= 0) {
            return super.readAllBytes();
        }
        if (size > (long) Integer.MAX_VALUE) {
            throw new OutOfMemoryError(String.format("Required array size too large: %d = %d - %d", size, length,
                    position));
        }
        int capacity = (int) size;
        byte[] buf = new byte[capacity];
        int nread = 0;
        int n;
        for (;;) {
            // to the end of the file, which may be before or after what the size said
            while ((n = read(buf, nread, capacity - nread)) > 0) {
                nread += n;
            }
            if (n < 0 || (n = read()) < 0) {
                break;
            }
            capacity = Math.max(ArrayLengths.grown(capacity, 1, capacity), DEFAULT_BUFFER_SIZE);
            buf = Arrays.copyOf(buf, capacity);
            buf[nread++] = (byte) n;
        }
        return capacity == nread ? buf : Arrays.copyOf(buf, nread);
    }

    @Override
    public byte[] readNBytes(int len) throws IOException {
        if (len < 0) {
            throw new IllegalArgumentException("len < 0");
        }
        if (len == 0) {
            return new byte[0];
        }
        long length = channel.size();
        if (length <= 0) {
            return super.readNBytes(len);
        }
        long position = channel.position();
        long size = length - position;
        if (size <= 0) {
            return super.readNBytes(len);
        }
        int capacity = (int) Math.min(len, size);
        byte[] buf = new byte[capacity];
        int remaining = capacity;
        int nread = 0;
        int n;
        do {
            n = read(buf, nread, remaining);
            if (n > 0) {
                nread += n;
                remaining -= n;
            } else if (n == 0) {
                byte b = (byte) read(); // as the JDK's: wait for a byte or the end
                if (b == -1) {
                    break;
                }
                buf[nread++] = b;
                remaining--;
            }
        } while (n >= 0 && remaining > 0);
        return capacity == nread ? buf : Arrays.copyOf(buf, nread);
    }

    @Override
    public int available() throws IOException {
        long position;
        try {
            position = channel.position();
        } catch (ClosedChannelException closed) {
            throw closed;
        } catch (IOException notSeekable) {
            return 0; // a pipe or FIFO
        }
        long remaining = Math.max(0, channel.size() - position);
        return remaining > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) remaining;
    }

    @Override
    public synchronized long skip(long n) throws IOException {
        if (isOther()) {
            return super.skip(n);
        }
        long pos = channel.position();
        long newPos;
        if (n > 0) {
            newPos = pos + n;
            long size = channel.size();
            if (newPos < 0 || newPos > size) {
                newPos = size;
            }
        } else {
            newPos = Long.max(pos + n, 0);
        }
        channel.position(newPos);
        return newPos - pos;
    }

    /**
     * Into a Ringpark output stream, through the channels' {@code transferTo} (or, from a pipe,
     * {@code transferFrom}), as the JDK's stream does into a stream of a channel; into any other
     * stream, through a buffer, as {@code InputStream.transferTo} does: the same reads and writes in
     * the same order and the same count returned (capped at {@code Long.MAX_VALUE}), but in larger
     * chunks. The first read is the JDK's 16 KiB, so that a small file costs no more; once one read
     * fills it, the rest goes {@value #TRANSFER_BYTES} bytes at a time. Each read costs about 0.4 µs
     * besides its copy, which at 16 KiB is what the JDK's streams pay too; at 128 KiB a cached
     * file streams about 1.5 times as fast (docs/BENCHMARKS.md, "The drop-in provider"; 1 MiB was
     * slower again, its two copies no longer fitting a core's cache).
     */
    @Override
    public long transferTo(OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        if (out instanceof RingOutputStream ring) {
            return isOther() ? transferIn(channel, ring.channel()) : transferOut(channel, ring.channel());
        }
        long transferred = 0;
        byte[] buffer = new byte[FIRST_TRANSFER_BYTES];
        int read;
        while ((read = read(buffer, 0, buffer.length)) >= 0) {
            out.write(buffer, 0, read);
            if (transferred < Long.MAX_VALUE) {
                try {
                    transferred = Math.addExact(transferred, read);
                } catch (ArithmeticException ignore) {
                    transferred = Long.MAX_VALUE;
                }
            }
            if (read == buffer.length && buffer.length < TRANSFER_BYTES) {
                buffer = new byte[TRANSFER_BYTES]; // more is coming: fewer, larger reads
            }
        }
        return transferred;
    }

    /** Everything from the file's position to its end, into {@code target}; the position moves past it. */
    private static long transferOut(FileChannel source, WritableByteChannel target) throws IOException {
        long initialPos = source.position();
        long pos = initialPos;
        try {
            while (pos < source.size()) {
                pos += source.transferTo(pos, Long.MAX_VALUE, target);
            }
        } finally {
            source.position(pos);
        }
        return pos - initialPos;
    }

    /** Everything {@code source} has, written at the target's position, which moves past it. */
    private static long transferIn(ReadableByteChannel source, FileChannel target) throws IOException {
        long initialPos = target.position();
        long pos = initialPos;
        try {
            long n;
            while ((n = target.transferFrom(source, pos, Long.MAX_VALUE)) > 0) {
                pos += n;
            }
        } finally {
            target.position(pos);
        }
        return pos - initialPos;
    }

    /** Whether the file is other than a regular file, directory or link; worked out once. */
    private boolean isOther() throws IOException {
        Boolean known = isOther;
        if (known == null) {
            isOther = known = lookWhetherOther();
        }
        return known;
    }

    private boolean lookWhetherOther() throws IOException {
        try {
            channel.position();
        } catch (ClosedChannelException closed) {
            throw closed;
        } catch (IOException notSeekable) {
            return true; // a pipe or FIFO: lseek says ESPIPE
        }
        if (channel.size() > 0 || path == null) {
            return false;
        }
        try {
            return PlatformFileSystem.provider().readAttributes(path, BasicFileAttributes.class).isOther();
        } catch (IOException gone) {
            return false; // unlinked since (DELETE_ON_CLOSE, say): it was a file
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
