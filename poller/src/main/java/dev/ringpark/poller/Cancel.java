package dev.ringpark.poller;

/** Cancels {@link #target()}; made by the poller protocol (an interrupt, a handle's close), never by users. */
public final class Cancel extends Operation {
    private final Operation target;

    Cancel(Operation target) {
        super(target.handle());
        this.target = target;
    }

    /** The operation to cancel. */
    public Operation target() {
        return target;
    }

    /** Poller only: the target's {@code user_data} while it is in the driver. */
    public long targetUserData() {
        return target.userData;
    }

    @Override
    public String toString() {
        return "CANCEL(" + target + ")";
    }
}
