package dev.ringpark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.Charset;
import java.util.Spliterator;
import java.util.function.Consumer;

/**
 * The spliterator of {@code Files.lines} for UTF-8, ISO-8859-1 and US-ASCII (where a line feed or
 * carriage return byte is always that character): the JDK's {@code FileChannelLinesSpliterator},
 * over a Ringpark channel. It covers the bytes from {@code index} to {@code fence} (the file's size
 * when the stream was made); a parallel stream splits it at a line end near the middle, each part
 * then reading its range with positional reads.
 *
 * <p>The JDK maps the file to find those line ends; this reads a small window around the middle
 * through the channel instead, so a split parks rather than faults pages in on the carrier. The line
 * ends found, and so the lines, are the same.
 */
final class LinesSpliterator implements Spliterator<String> {
    /** The bytes read at a time around the middle when looking for a line end. */
    private static final int WINDOW_BYTES = 8192;

    private final FileChannel channel;
    private final Charset charset;
    private int index;
    private final int fence;
    /** Non-null once traversal has started: no split after that. */
    private BufferedReader reader;
    /** The last window read when splitting: the file's bytes from {@code windowStart}. */
    private ByteBuffer window;
    private long windowStart;

    LinesSpliterator(FileChannel channel, Charset charset, int index, int fence) {
        this.channel = channel;
        this.charset = charset;
        this.index = index;
        this.fence = fence;
    }

    @Override
    public boolean tryAdvance(Consumer<? super String> action) {
        String line = readLine();
        if (line != null) {
            action.accept(line);
            return true;
        }
        return false;
    }

    @Override
    public void forEachRemaining(Consumer<? super String> action) {
        String line;
        while ((line = readLine()) != null) {
            action.accept(line);
        }
    }

    private String readLine() {
        if (reader == null) {
            reader = newReader();
            window = null;
        }
        try {
            return reader.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A reader of this spliterator's range of bytes, read positionally from the channel. */
    private BufferedReader newReader() {
        ReadableByteChannel range = new ReadableByteChannel() {
            @Override
            public int read(ByteBuffer dst) throws IOException {
                int bytesToRead = fence - index;
                if (bytesToRead == 0) {
                    return -1;
                }
                int bytesRead;
                if (bytesToRead < dst.remaining()) {
                    int oldLimit = dst.limit();
                    dst.limit(dst.position() + bytesToRead);
                    bytesRead = channel.read(dst, index);
                    dst.limit(oldLimit);
                } else {
                    bytesRead = channel.read(dst, index);
                }
                if (bytesRead == -1) {
                    index = fence;
                    return bytesRead;
                }
                index += bytesRead;
                return bytesRead;
            }

            @Override
            public boolean isOpen() {
                return channel.isOpen();
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
        return new BufferedReader(Channels.newReader(range, charset.newDecoder(), -1));
    }

    @Override
    public Spliterator<String> trySplit() {
        if (reader != null) {
            return null;
        }
        final int hi = fence;
        final int lo = index;
        int mid = (lo + hi) >>> 1;
        int c = byteAt(mid);
        if (c == '\n') {
            mid++;
        } else if (c == '\r') {
            if (++mid < hi && byteAt(mid) == '\n') {
                mid++;
            }
        } else {
            // look left and right of the middle, one byte each way at a time, as the JDK does
            int midL = mid - 1;
            int midR = mid + 1;
            mid = 0;
            while (midL > lo && midR < hi) {
                c = byteAt(midL--);
                if (c == '\n' || c == '\r') {
                    mid = midL + 2;
                    break;
                }
                c = byteAt(midR++);
                if (c == '\n' || c == '\r') {
                    mid = midR;
                    if (c == '\r' && mid < hi && byteAt(mid) == '\n') {
                        mid++;
                    }
                    break;
                }
            }
        }
        // the left part ends with its line end
        return mid > lo && mid < hi ? new LinesSpliterator(channel, charset, lo, index = mid) : null;
    }

    /** The file's byte at {@code position}, read through a window around it; 0 past the end of the file. */
    private int byteAt(int position) {
        ByteBuffer bytes = window;
        if (bytes == null || position < windowStart || position >= windowStart + bytes.limit()) {
            long start = Math.max(0, (long) position - WINDOW_BYTES / 2);
            bytes = ByteBuffer.allocate(WINDOW_BYTES);
            try {
                while (bytes.hasRemaining() && channel.read(bytes, start + bytes.position()) > 0) {
                    // until the window is full or the file ends
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            bytes.flip();
            window = bytes;
            windowStart = start;
            if (position >= start + bytes.limit()) {
                return 0; // the file was cut short since its size was taken
            }
        }
        return bytes.get((int) (position - windowStart));
    }

    @Override
    public long estimateSize() {
        return fence - index;
    }

    @Override
    public long getExactSizeIfKnown() {
        return -1;
    }

    @Override
    public int characteristics() {
        return Spliterator.ORDERED | Spliterator.NONNULL;
    }
}
