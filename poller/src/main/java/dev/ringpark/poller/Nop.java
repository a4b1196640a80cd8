package dev.ringpark.poller;

/**
 * An operation that asks the kernel for nothing ({@code IORING_OP_NOP}; on the pool drivers a task
 * that makes no call) and completes with 0: what the hand-off itself costs, measured through the
 * whole of it.
 */
public final class Nop extends Operation {
    public Nop() {
        super(null);
    }

    @Override
    public String toString() {
        return "NOP";
    }
}
