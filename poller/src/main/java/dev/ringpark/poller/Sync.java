package dev.ringpark.poller;

/** {@code fsync(2)}, or {@code fdatasync(2)} when only the data (and the size) must be durable. */
public final class Sync extends Operation {
    private final boolean dataOnly;

    /** @param dataOnly {@code fdatasync} rather than {@code fsync} */
    public Sync(FileHandle handle, boolean dataOnly) {
        super(handle);
        this.dataOnly = dataOnly;
    }

    public boolean dataOnly() {
        return dataOnly;
    }

    @Override
    public String toString() {
        return (dataOnly ? "FDATASYNC" : "FSYNC") + "(fd=" + handle().fd() + ")";
    }
}
