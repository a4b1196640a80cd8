package dev.ringpark.poller;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The multi-producer, single-consumer hand-off from callers to the poller, which also carries the
 * poller's sleep state.
 *
 * <p>Producers push onto an intrusive stack (through {@link Operation#next}) with a CAS on
 * {@link #head}; the poller takes the whole stack with one {@code getAndSet} and reverses it, so a
 * batch comes out in arrival order and no producer ever waits for another. The same word holds one of
 * two markers:
 * <ul>
 *   <li>{@link #SLEEPING}: the poller is about to block, or blocked, in the kernel. The producer
 *       whose CAS replaces it must {@linkplain Driver#wakeup() wake} the poller; no other does.</li>
 *   <li>{@link #CLOSED}: the poller has failed; nothing more is accepted.</li>
 * </ul>
 */
final class OperationQueue {
    /** What {@link #offer} did. */
    enum Offer {
        /** Queued; the poller is awake and will see it. */
        QUEUED,
        /** Queued, and the poller was asleep: the caller must wake it. */
        QUEUED_WAKE_POLLER,
        /** Refused: the poller has failed. */
        REFUSED
    }

    private static final Operation SLEEPING = new Close(-1);
    private static final Operation CLOSED = new Close(-1);
    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(OperationQueue.class, "head", Operation.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The last operation pushed, {@code null} when empty, or a marker. */
    @SuppressWarnings("unused") // accessed through HEAD
    private volatile Operation head;

    /** Any thread: pushes {@code operation}, which must not be in the queue already. */
    Offer offer(Operation operation) {
        for (;;) {
            Operation current = (Operation) HEAD.getVolatile(this);
            if (current == CLOSED) {
                return Offer.REFUSED;
            }
            operation.next = current == SLEEPING ? null : current;
            // The CAS publishes operation.next and every field the caller wrote before (see package doc).
            if (HEAD.compareAndSet(this, current, operation)) {
                return current == SLEEPING ? Offer.QUEUED_WAKE_POLLER : Offer.QUEUED;
            }
        }
    }

    /**
     * Poller: takes everything queued, oldest first, as a chain linked through {@link Operation#next};
     * {@code null} when nothing is queued. Marks the poller awake.
     */
    Operation drain() {
        // Only the poller closes the queue, so a head that is not CLOSED now cannot become CLOSED
        // before the getAndSet below; swapping CLOSED out, even briefly, would let a producer in.
        if (HEAD.getVolatile(this) == CLOSED) {
            return null;
        }
        // getAndSet pairs with the producers' CAS: their writes before the push are visible here.
        return oldestFirst((Operation) HEAD.getAndSet(this, (Operation) null));
    }

    /**
     * Poller: marks the poller asleep if nothing is queued.
     *
     * @return {@code true} when the poller may block: any later offer will wake it
     */
    boolean trySleep() {
        // Same word as the producers' CAS: either they see SLEEPING or this CAS sees their operation.
        // The head is never SLEEPING here: the poller drains (which clears it) before each trySleep.
        return HEAD.compareAndSet(this, (Operation) null, SLEEPING);
    }

    /** Poller, once: refuses every later offer and returns what was queued, oldest first. */
    Operation close() {
        return oldestFirst((Operation) HEAD.getAndSet(this, CLOSED));
    }

    /** Reverses a chain taken from the head; markers stand for an empty chain. */
    private static Operation oldestFirst(Operation newest) {
        if (newest == SLEEPING || newest == CLOSED) {
            return null;
        }
        Operation oldest = null;
        while (newest != null) {
            Operation older = newest.next;
            newest.next = oldest;
            oldest = newest;
            newest = older;
        }
        return oldest;
    }
}
