package dev.ringpark;

import java.io.InterruptedIOException;

/** What an interrupt of a thread using a channel does to the channel and to the thread's call. */
enum InterruptPolicy {
    /** {@code FileChannel}'s: the interrupt cancels the call and closes the channel ({@code ClosedByInterruptException}). */
    CLOSE_CHANNEL,
    /** {@link RingOpenOption#INTERRUPT_CANCELS_CALL}: the interrupt cancels the call alone ({@link InterruptedIOException}). */
    CANCEL_CALL,
    /** The channels behind streams, as the JDK's: the call completes as if there had been no interrupt. */
    IGNORE;

    /** Whether an interrupt cancels the operation in flight. */
    boolean cancelsOperations() {
        return this != IGNORE;
    }

    /** What a call cancelled by an interrupt under {@link #CANCEL_CALL} throws; the interrupt status stays set. */
    static InterruptedIOException interrupted() {
        return new InterruptedIOException("interrupted: the call was cancelled; the channel stays open");
    }
}
