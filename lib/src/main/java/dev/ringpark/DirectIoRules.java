package dev.ringpark;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The JDK's alignment rules for O_DIRECT channels: the file position, the transfer length and, for
 * native memory, the address must be multiples of the file system's block size; heap memory goes
 * through an aligned native buffer, so only its length is checked. The messages are JDK 25's
 * ({@code sun.nio.ch.Util.checkChannelPositionAligned}, {@code checkBufferPositionAligned} and
 * {@code checkRemainingBufferSizeAligned}), word for word: {@code DifferentialTest} compares them.
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

    /** A single transfer's buffer: its address if it is direct, then its length (IOUtil's order). */
    static void checkBuffer(ByteBuffer buffer, int blockSize) throws IOException {
        if (buffer.isDirect()) {
            checkAddress(buffer.position(), buffer.alignmentOffset(buffer.position(), blockSize), blockSize);
        }
        checkLength(buffer.remaining(), blockSize);
    }

    /**
     * The buffers of a scattering read or gathering write, as IOUtil's vectored forms check them: only
     * their lengths. The JDK hands a direct buffer at a misaligned address to the kernel, which answers
     * {@code EINVAL} ("Invalid argument").
     */
    static void checkBuffers(ByteBuffer[] buffers, int blockSize) throws IOException {
        for (ByteBuffer buffer : buffers) {
            checkLength(buffer.remaining(), blockSize);
        }
    }

    /** A segment, checked as the JDK checks the buffer that views it ({@code asByteBuffer()}, position 0). */
    static void checkSegment(MemorySegment segment, int blockSize) throws IOException {
        if (segment.isNative()) {
            checkAddress(0, (int) (segment.address() % blockSize), blockSize);
        }
        checkLength(segment.byteSize(), blockSize);
    }

    private static void checkAddress(int position, int alignmentOffset, int blockSize) throws IOException {
        if (alignmentOffset != 0) {
            throw new IOException("Current position of the bytebuffer (" + position
                    + ") is not a multiple of the block size (" + blockSize + "): alignment offset = " + alignmentOffset);
        }
    }

    private static void checkLength(long length, int blockSize) throws IOException {
        if (length % blockSize != 0) {
            throw new IOException("Number of remaining bytes (" + length + ") is not a multiple of the block size ("
                    + blockSize + ")");
        }
    }
}
