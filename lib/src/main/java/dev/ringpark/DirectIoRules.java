package dev.ringpark;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The JDK's alignment rules for O_DIRECT channels: the file position, the transfer length and, for
 * native memory, the address must be multiples of the file system's block size; heap memory goes
 * through an aligned native buffer, so only its length is checked. The messages are the JDK's.
 */
final class DirectIoRules {
    private DirectIoRules() {
    }

    static void checkChannelPosition(long position, int blockSize) throws IOException {
        if (position % blockSize != 0) {
            throw new IOException("Channel position (" + position + ") is not a multiple of the block size ("
                    + blockSize + ")");
        }
    }

    static void checkBuffer(ByteBuffer buffer, int blockSize) throws IOException {
        if (buffer.isDirect() && buffer.alignmentOffset(buffer.position(), blockSize) != 0) {
            throw new IOException("Current location of the bytebuffer (" + buffer.position()
                    + ") is not a multiple of the block size (" + blockSize + ")");
        }
        checkLength(buffer.remaining(), blockSize);
    }

    static void checkBuffers(ByteBuffer[] buffers, int blockSize) throws IOException {
        for (ByteBuffer buffer : buffers) {
            checkBuffer(buffer, blockSize);
        }
    }

    static void checkSegment(MemorySegment segment, int blockSize) throws IOException {
        if (segment.isNative() && segment.address() % blockSize != 0) {
            throw new IOException("Segment address (" + segment.address() + ") is not a multiple of the block size ("
                    + blockSize + ")");
        }
        checkLength(segment.byteSize(), blockSize);
    }

    private static void checkLength(long length, int blockSize) throws IOException {
        if (length % blockSize != 0) {
            throw new IOException("Number of remaining bytes (" + length + ") is not a multiple of the block size ("
                    + blockSize + ")");
        }
    }
}
