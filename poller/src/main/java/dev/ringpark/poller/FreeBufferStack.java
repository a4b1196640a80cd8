package dev.ringpark.poller;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded lock-free stack of free native buffers of one size (a Treiber stack).
 *
 * <p>Every push allocates a new immutable node, and nodes are never reused, so the classic ABA
 * problem cannot arise: a popper's CAS from node X to X's successor fails if X was popped meanwhile,
 * because a buffer pushed back comes in a different node. Each node records the stack's depth below
 * and including it, which bounds the stack without a shared counter.
 *
 * <p>A buffer is handed to at most one popper: the CAS that unlinks its node succeeds once.
 */
final class FreeBufferStack {
    private record Node(MemorySegment buffer, Node next, int depth) {
    }

    private static final VarHandle TOP;

    static {
        try {
            TOP = MethodHandles.lookup().findVarHandle(FreeBufferStack.class, "top", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int capacity;
    @SuppressWarnings("unused") // accessed through TOP
    private volatile Node top;

    FreeBufferStack(int capacity) {
        this.capacity = capacity;
    }

    /** A free buffer, or {@code null} when there is none. */
    MemorySegment pop() {
        for (;;) {
            Node current = (Node) TOP.getVolatile(this);
            if (current == null) {
                return null;
            }
            // The CAS pairs with push's CAS: the node's fields, written before it, are visible.
            if (TOP.compareAndSet(this, current, current.next())) {
                return current.buffer();
            }
        }
    }

    /** Keeps {@code buffer} for a later pop; {@code false} when the stack is full. */
    boolean push(MemorySegment buffer) {
        for (;;) {
            Node current = (Node) TOP.getVolatile(this);
            int depth = current == null ? 1 : current.depth() + 1;
            if (depth > capacity) {
                return false;
            }
            if (TOP.compareAndSet(this, current, new Node(buffer, current, depth))) {
                return true;
            }
        }
    }
}
