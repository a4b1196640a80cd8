package dev.ringpark.poller;

/**
 * Cancels every operation on {@link #handle()}; made by a handle's close. The poller resolves it
 * into one {@link Cancel} per operation; it never reaches a driver.
 */
public final class CancelAll extends Operation {
    CancelAll(FileHandle handle) {
        super(handle);
    }

    @Override
    public String toString() {
        return "CANCEL_ALL(fd=" + handle().fd() + ")";
    }
}
