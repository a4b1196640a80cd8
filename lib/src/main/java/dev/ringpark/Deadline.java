package dev.ringpark;

import dev.ringpark.poller.Operation;

import java.nio.channels.InterruptedByTimeoutException;
import java.time.Duration;
import java.util.Objects;

/**
 * When a call must be over: a point on {@link System#nanoTime()}'s clock, fixed when the call
 * starts, so that every wait of the call (the position lock, the backlog, the kernel) draws on the
 * same time; or {@link #NONE}.
 *
 * <p>The public API takes a {@link Duration}, as the JDK's own blocking calls take timeouts
 * ({@code Thread.join(Duration)}, {@code Future.get}); this is that duration turned into a deadline
 * at the call's start. See {@code docs/ARCHITECTURE.md} for why not an absolute time.
 */
final class Deadline {
    /** No deadline: the call waits as long as it takes. */
    static final Deadline NONE = new Deadline(false, 0);
    /**
     * The longest timeout honoured, about 73 years: longer ones are taken as this, so that a
     * deadline plus the poller's backstop never overflows {@code nanoTime}'s arithmetic.
     */
    private static final long LONGEST_NANOS = Long.MAX_VALUE / 4;

    private final boolean bounded;
    private final long nanoTime;

    private Deadline(boolean bounded, long nanoTime) {
        this.bounded = bounded;
        this.nanoTime = nanoTime;
    }

    /**
     * The deadline {@code timeout} from now. Zero or negative: the deadline has passed, and a call
     * does only what it can do without waiting.
     *
     * @throws NullPointerException when {@code timeout} is {@code null}
     */
    static Deadline after(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long nanos;
        try {
            nanos = Math.clamp(timeout.toNanos(), -LONGEST_NANOS, LONGEST_NANOS);
        } catch (ArithmeticException tooLong) {
            nanos = timeout.isNegative() ? -LONGEST_NANOS : LONGEST_NANOS;
        }
        return new Deadline(true, System.nanoTime() + nanos);
    }

    /** Whether there is a deadline. */
    boolean isBounded() {
        return bounded;
    }

    /** Whether the deadline has passed; never for {@link #NONE}. */
    boolean hasPassed() {
        return bounded && System.nanoTime() - nanoTime >= 0;
    }

    /** The nanoseconds left, 0 once passed; meaningful only when {@linkplain #isBounded() bounded}. */
    long remainingNanos() {
        return Math.max(nanoTime - System.nanoTime(), 0);
    }

    /** Gives {@code operation} this deadline, if there is one, before its hand-off; returns it. */
    <T extends Operation> T bound(T operation) {
        if (bounded) {
            operation.setDeadlineNanos(nanoTime);
        }
        return operation;
    }

    /** What a call whose deadline passed before it could complete throws. */
    static InterruptedByTimeoutException timedOut() {
        return new InterruptedByTimeoutException();
    }
}
