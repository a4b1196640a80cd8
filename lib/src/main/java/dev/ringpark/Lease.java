package dev.ringpark;

import dev.ringpark.poller.NativeBufferPool;
import dev.ringpark.poller.Operation;
import dev.ringpark.poller.Poller;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * A pooled native buffer lent to one call and given back when the call ends: released for reuse,
 * or retired (never reused nor freed) if an operation naming it reached the kernel and was never
 * answered, which happens only when the poller failed: the kernel may still write into it.
 */
final class Lease implements AutoCloseable {
    private static final NativeBufferPool POOL = NativeBufferPool.shared();

    private final MemorySegment buffer;
    private boolean unanswered;

    private Lease(MemorySegment buffer) {
        this.buffer = buffer;
    }

    /** A buffer of at least {@code bytes}, at most {@link NativeBufferPool#MAX_BUFFER_BYTES}. */
    static Lease of(long bytes) {
        return new Lease(POOL.acquire(bytes));
    }

    MemorySegment segment() {
        return buffer;
    }

    long address() {
        return buffer.address();
    }

    /** Runs {@code operation}, which names this buffer, through {@code poller}; see {@link Poller#execute}. */
    int execute(Poller poller, Operation operation) throws IOException {
        return execute(poller, operation, true);
    }

    /** {@link #execute(Poller, Operation)}, cancelled by an interrupt only if {@code cancelOnInterrupt}. */
    int execute(Poller poller, Operation operation, boolean cancelOnInterrupt) throws IOException {
        unanswered = true;
        try {
            int result = poller.execute(operation, cancelOnInterrupt);
            unanswered = false;
            return result;
        } catch (IOException pollerFailed) {
            unanswered = operation.mayHaveRun();
            throw pollerFailed;
        }
    }

    @Override
    public void close() {
        if (unanswered) {
            POOL.retire(buffer);
        } else {
            POOL.release(buffer);
        }
    }
}
