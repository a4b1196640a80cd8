package dev.ringpark.poller;

import java.lang.foreign.MemorySegment;

/**
 * {@code openat(AT_FDCWD, path, flags, mode)}. Not cancelled by an interrupt: the JDK's open is not,
 * and a cancelled open would fail where the JDK's succeeds.
 *
 * <p>Where it runs depends on what the path names ({@link PathLook}): a path known to name a regular
 * file, a directory or nothing ({@link #plain()}) never waits for a peer, so io_uring tries it inline
 * first; any other may name a device whose open waits (a serial line for its carrier, say), so it
 * goes straight to a worker that opens as {@code open(2)} does. A FIFO's open waits for its peer for
 * as long as it takes and would hold a worker of a bounded pool meanwhile: FIFOs are never opened
 * through the poller.
 */
public final class Open extends Operation {
    private final long path;
    private final OpenMode mode;
    private final boolean plain;

    /**
     * @param path  a NUL-terminated path, valid until the operation is done
     * @param mode  how to open it
     * @param plain whether the path was seen to name a regular file, a directory or nothing
     */
    public Open(MemorySegment path, OpenMode mode, boolean plain) {
        super(null);
        this.path = path.address();
        this.mode = mode;
        this.plain = plain;
    }

    /** The address of the NUL-terminated path. */
    public long path() {
        return path;
    }

    /** The {@code open(2)} flags. */
    public int flags() {
        return mode.flags();
    }

    /** The permission bits of a created file. */
    public int permissions() {
        return mode.permissions();
    }

    /** Whether the path was seen to name a regular file, a directory or nothing. */
    public boolean plain() {
        return plain;
    }

    @Override
    boolean cancellable() {
        return false;
    }

    @Override
    public String toString() {
        return "OPEN(" + mode + (plain ? ", plain" : "") + ")";
    }
}
