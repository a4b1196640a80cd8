package dev.ringpark;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * The stream of {@code Files.newOutputStream} over a Ringpark channel: what the JDK's
 * {@code sun.nio.ch.ChannelOutputStream} does, call for call. No buffer of its own: each
 * {@code write} writes all of its bytes to the channel before it returns.
 */
final class RingOutputStream extends OutputStream {
    private final FileChannel channel;
    private ByteBuffer bb;
    private byte[] bs; // the caller's previous array
    private byte[] b1;

    RingOutputStream(FileChannel channel) {
        this.channel = channel;
    }

    /** The channel this stream writes, for a stream that transfers into it. */
    FileChannel channel() {
        return channel;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        if (b1 == null) {
            b1 = new byte[1];
        }
        b1[0] = (byte) b;
        write(b1);
    }

    @Override
    public synchronized void write(byte[] bytes, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, bytes.length);
        if (len == 0) {
            return;
        }
        ByteBuffer buffer = this.bs == bytes ? this.bb : ByteBuffer.wrap(bytes);
        buffer.limit(Math.min(off + len, buffer.capacity()));
        buffer.position(off);
        this.bb = buffer;
        this.bs = bytes;
        while (buffer.remaining() > 0) {
            int n = channel.write(buffer);
            if (n <= 0) {
                throw new RuntimeException("no bytes written");
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
