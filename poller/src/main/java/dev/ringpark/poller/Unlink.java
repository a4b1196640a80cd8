package dev.ringpark.poller;

import java.lang.foreign.MemorySegment;

/** {@code unlinkat(AT_FDCWD, path, 0)}. Not cancelled by an interrupt: the JDK's unlink is not. */
public final class Unlink extends Operation {
    private final long path;

    /** @param path a NUL-terminated path, valid until the operation is done */
    public Unlink(MemorySegment path) {
        super(null);
        this.path = path.address();
    }

    /** The address of the NUL-terminated path. */
    public long path() {
        return path;
    }

    @Override
    boolean cancellable() {
        return false;
    }

    @Override
    public String toString() {
        return "UNLINK";
    }
}
