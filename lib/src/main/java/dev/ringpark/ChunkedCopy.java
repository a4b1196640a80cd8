package dev.ringpark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;

/**
 * A copy between a channel and a file through one pooled buffer, a chunk at a time, as the JDK's
 * {@code transferTo} and {@code transferFrom} copy when they cannot hand the work to the kernel.
 */
final class ChunkedCopy {
    /** The largest chunk: the lease's size when the copy is at least this long. */
    static final int CHUNK_BYTES = 256 * 1024;

    private ChunkedCopy() {
    }

    /** Where a copy's bytes come from or go to, a chunk at a time, {@code done} bytes into the copy. */
    @FunctionalInterface
    interface Step {
        /**
         * Moves up to {@code bytes} bytes into or out of the lease ({@code view} is its buffer).
         *
         * @return the bytes moved; 0 or less ends the copy
         */
        int move(Lease lease, ByteBuffer view, int bytes, long done) throws IOException;
    }

    /** The bytes a copy wants, asked once the copy starts (the source's size, for transferTo). */
    @FunctionalInterface
    interface Length {
        long wanted() throws IOException;
    }

    /**
     * Copies through one pooled buffer: {@code fill} brings a chunk in, {@code drain} takes it out,
     * until {@code length} bytes moved, a source ran dry, or a destination took less than it was given.
     * As the JDK's copy loops, a failure after some bytes moved returns that count, unless it was an
     * interrupt (the channels are closed then).
     *
     * @param count the most bytes the caller asked for, which sizes the buffer
     * @return the bytes copied
     */
    static long copy(long count, Length length, Step fill, Step drain) throws IOException {
        long total = 0;
        try (Lease lease = Lease.of(Math.clamp(count, 1, CHUNK_BYTES))) {
            long wanted = length.wanted();
            ByteBuffer view = lease.segment().asByteBuffer();
            while (total < wanted) {
                int n = fill.move(lease, view, (int) Math.min(wanted - total, view.capacity()), total);
                if (n <= 0) {
                    break;
                }
                int moved = drain.move(lease, view, n, total);
                total += moved;
                if (moved != n) {
                    break;
                }
            }
            return total;
        } catch (IOException e) {
            if (total > 0 && !(e instanceof ClosedByInterruptException)) {
                return total;
            }
            throw e;
        }
    }
}
