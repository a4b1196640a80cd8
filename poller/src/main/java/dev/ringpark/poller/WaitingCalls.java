package dev.ringpark.poller;

import dev.ringpark.poller.linux.LibC;
import dev.ringpark.poller.linux.OpenFlags;

import java.lang.foreign.MemorySegment;

/**
 * System calls made on a platform thread set aside to wait in them, neither the caller's nor the
 * poller's: a FIFO's open waits for its peer for as long as it takes, which would hold a worker of
 * any bounded pool (io_uring's or Ringpark's) and, with enough of them waiting, keep the peer's own
 * open from ever running.
 */
public final class WaitingCalls {
    private WaitingCalls() {
    }

    /**
     * {@code openat(AT_FDCWD, path, flags, mode)}, as {@code open(2)} waits: a descriptor or {@code -errno}.
     *
     * @param path a NUL-terminated path, valid until this returns
     */
    public static int open(MemorySegment path, OpenMode mode) {
        MemorySegment callState = NativeBufferPool.shared().acquire(LibC.CALL_STATE_BYTES);
        try {
            return LibC.openat(callState, OpenFlags.AT_FDCWD, path, mode.flags(), mode.permissions());
        } finally {
            NativeBufferPool.shared().release(callState);
        }
    }
}
