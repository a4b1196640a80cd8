package dev.ringpark;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A channel's {@code transferTo} and {@code transferFrom}, once the channel has checked their
 * arguments: a copy through one pooled buffer with the channel's own reads and writes, as the JDK
 * copies between channels it cannot hand to the kernel. The channel's position does not move.
 */
final class FileCopies {
    private final CallGate gate;
    private final DescriptorTransfers transfers;
    private final DescriptorCalls calls;

    FileCopies(CallGate gate, DescriptorTransfers transfers, DescriptorCalls calls) {
        this.gate = gate;
        this.transfers = transfers;
        this.calls = calls;
    }

    /** Reads at {@code position} and writes to {@code target}, up to the end of the file. */
    long to(long position, long count, WritableByteChannel target) throws IOException {
        return copy(count, () -> {
            long size = calls.size();
            return position > size ? 0 : Math.min(count, size - position);
        }, (lease, view, chunk, done) -> transfers.readNative(lease.address(), chunk, position + done, lease,
                        Deadline.NONE),
                (lease, view, n, done) -> target.write(view.clear().limit(n)));
    }

    /** Reads {@code src} and writes at {@code position}. */
    long from(ReadableByteChannel src, long position, long count) throws IOException {
        return copy(count, () -> count,
                (lease, view, chunk, done) -> src.read(view.clear().limit(chunk)),
                (lease, view, n, done) -> transfers.writeNative(lease.address(), n, position + done, lease,
                        Deadline.NONE));
    }

    /** {@link ChunkedCopy#copy} as one use of the channel's descriptor. */
    private long copy(long count, ChunkedCopy.Length length, ChunkedCopy.Step fill, ChunkedCopy.Step drain)
            throws IOException {
        gate.enter();
        try {
            return ChunkedCopy.copy(count, length, fill, drain);
        } finally {
            gate.exit();
        }
    }
}
