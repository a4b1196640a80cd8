package dev.ringpark.benchmarks;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A file as one {@link Contender} opened it. Every method blocks the calling thread (in the
 * benchmarks, a virtual thread) until the operation is done, however the contender gets it done.
 * Any number of threads may call at once.
 */
interface BlockingFile extends Closeable {
    /**
     * Reads into {@code destination}'s remaining bytes from {@code position}, as
     * {@link java.nio.channels.FileChannel#read(ByteBuffer, long)} does.
     *
     * @return the bytes read, or -1 at the end of the file
     */
    int read(ByteBuffer destination, long position) throws IOException;

    /**
     * Writes {@code source}'s remaining bytes at {@code position}, as
     * {@link java.nio.channels.FileChannel#write(ByteBuffer, long)} does.
     *
     * @return the bytes written, which may be fewer than remained
     */
    int write(ByteBuffer source, long position) throws IOException;

    /** Makes every completed write durable: {@code fdatasync(2)}, {@link java.nio.channels.FileChannel#force force(false)}. */
    void forceData() throws IOException;
}
