package dev.ringpark.poller;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A count that one thread (its owner, the poller) changes and any thread reads. The owner's
 * accesses cost what a plain field's do; a reader sees a whole value, never a torn one, and sooner
 * or later the latest: the stores and loads are opaque, ordering nothing else, which a statistic
 * does not need. Not for a value two threads change.
 */
public final class ConfinedCounter {
    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(ConfinedCounter.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through VALUE
    private long value;

    /** Owner only: adds {@code delta}. */
    public void add(long delta) {
        VALUE.setOpaque(this, (long) VALUE.getOpaque(this) + delta);
    }

    /** Owner only: adds one. */
    public void increment() {
        add(1);
    }

    /** Owner only: sets the count, for a gauge (a current depth). */
    public void set(long newValue) {
        VALUE.setOpaque(this, newValue);
    }

    /** Owner only: raises the count to {@code candidate} if that is higher, for a high-water mark. */
    public void raiseTo(long candidate) {
        if (candidate > (long) VALUE.getOpaque(this)) {
            VALUE.setOpaque(this, candidate);
        }
    }

    /** Any thread: the count. */
    public long get() {
        return (long) VALUE.getOpaque(this);
    }
}
