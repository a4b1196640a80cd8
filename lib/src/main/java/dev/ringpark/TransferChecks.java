package dev.ringpark;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;

/**
 * The JDK's checks of a channel call's arguments, with its exceptions and messages; the channel
 * makes them in {@code FileChannelImpl}'s order.
 */
final class TransferChecks {
    private TransferChecks() {
    }

    /** Which way a transfer goes: the checks differ in what they check, not in where. */
    enum Direction {
        READ("dst"), WRITE("src");

        /** The name of the method's buffer parameter, for null checks. */
        final String bufferName;

        Direction(String bufferName) {
            this.bufferName = bufferName;
        }
    }

    static void ensureReadable(boolean readable) {
        if (!readable) {
            throw new NonReadableChannelException();
        }
    }

    static void ensureWritable(boolean writable) {
        if (!writable) {
            throw new NonWritableChannelException();
        }
    }

    /** The channel may transfer this way. */
    static void ensureAllowed(Direction direction, boolean readable, boolean writable) {
        if (direction == Direction.READ) {
            ensureReadable(readable);
        } else {
            ensureWritable(writable);
        }
    }

    static void requireNonNegative(long value, String message) {
        if (value < 0) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * The checks of a transfer's buffer, made where the JDK's {@code IOUtil} makes them.
     *
     * @param directBlockSize the channel's O_DIRECT block size, or 0
     */
    static void checkBuffer(Direction direction, ByteBuffer buffer, int directBlockSize) throws IOException {
        if (direction == Direction.READ && buffer.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        if (directBlockSize != 0) {
            DirectIoRules.checkBuffer(buffer, directBlockSize);
        }
    }

    /** {@link #checkBuffer} for a segment, which the channel then uses as the JDK uses its buffer. */
    static void checkSegment(Direction direction, MemorySegment segment, int directBlockSize) throws IOException {
        if (direction == Direction.READ && segment.isReadOnly()) {
            throw new IllegalArgumentException("Read-only segment");
        }
        if (directBlockSize != 0) {
            DirectIoRules.checkSegment(segment, directBlockSize);
        }
        requireAccessible(segment);
    }

    /** The checks the JDK makes when it acquires a buffer's memory for I/O. */
    static void requireAccessible(MemorySegment memory) {
        if (!memory.scope().isAlive()) {
            throw new IllegalStateException("Already closed");
        }
        if (!memory.isAccessibleBy(Thread.currentThread())) {
            throw new WrongThreadException("Attempted access outside owning thread");
        }
    }
}
