package dev.ringpark;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/** Bookkeeping for scattering reads and gathering writes over an array of buffers. */
final class Vectored {
    private Vectored() {
    }

    /** Whether every buffer is direct, so the kernel can take them as an iovec array as they are. */
    static boolean allNative(ByteBuffer[] buffers) {
        for (ByteBuffer buffer : buffers) {
            if (!buffer.isDirect()) {
                return false;
            }
        }
        return true;
    }

    static long remaining(ByteBuffer[] buffers) {
        long total = 0;
        for (ByteBuffer buffer : buffers) {
            total += buffer.remaining();
        }
        return total;
    }

    /** Moves the buffers' positions past {@code bytes} transferred, filling them in order. */
    static void advance(ByteBuffer[] buffers, long bytes) {
        for (ByteBuffer buffer : buffers) {
            int step = (int) Math.min(bytes, buffer.remaining());
            buffer.position(buffer.position() + step);
            bytes -= step;
        }
    }

    /** Copies the first {@code bytes} of {@code source} into the buffers in order, advancing them. */
    static void scatter(MemorySegment source, long bytes, ByteBuffer[] buffers) {
        long offset = 0;
        for (ByteBuffer buffer : buffers) {
            int step = (int) Math.min(bytes - offset, buffer.remaining());
            MemorySegment.copy(source, offset, MemorySegment.ofBuffer(buffer), 0, step);
            buffer.position(buffer.position() + step);
            offset += step;
        }
    }

    /** Copies the buffers' next {@code bytes} into {@code target}, without advancing them. */
    static void gather(ByteBuffer[] buffers, MemorySegment target, long bytes) {
        long offset = 0;
        for (ByteBuffer buffer : buffers) {
            int step = (int) Math.min(bytes - offset, buffer.remaining());
            MemorySegment.copy(MemorySegment.ofBuffer(buffer), 0, target, offset, step);
            offset += step;
        }
    }
}
