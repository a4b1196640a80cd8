package dev.ringpark.poller;

import java.lang.foreign.MemorySegment;

/**
 * A bounded lock-free stack of free native buffers of one size (a Treiber stack).
 *
 * <p>Every push allocates a new immutable node, and nodes are never reused, so the classic ABA
 * problem cannot arise: a popper's CAS from node X to X's successor fails if X was popped meanwhile,
 * because a buffer pushed back comes in a different node. Each node records the stack's depth below
 * and including it, which bounds the stack without a shared counter.
 *
 * <p>A buffer is handed to at most one popper: the CAS that unlinks its node succeeds once.
 *
 * <p>The top is a {@link PaddedReference}: the pool keeps a stack per CPU for each size, and callers
 * on different CPUs must not meet on one cache line.
 */
final class FreeBufferStack {
    private record Node(MemorySegment buffer, Node next, int depth) {
    }

    private final PaddedReference<Node> top = new PaddedReference<>();
    private final int capacity;

    FreeBufferStack(int capacity) {
        this.capacity = capacity;
    }

    /** A free buffer, or {@code null} when there is none. */
    MemorySegment pop() {
        for (;;) {
            Node current = top.get();
            if (current == null) {
                return null;
            }
            // The CAS pairs with push's CAS: the node's fields, written before it, are visible.
            if (top.compareAndSet(current, current.next())) {
                return current.buffer();
            }
        }
    }

    /** Keeps {@code buffer} for a later pop; {@code false} when the stack is full. */
    boolean push(MemorySegment buffer) {
        for (;;) {
            Node current = top.get();
            int depth = current == null ? 1 : current.depth() + 1;
            if (depth > capacity) {
                return false;
            }
            if (top.compareAndSet(current, new Node(buffer, current, depth))) {
                return true;
            }
        }
    }
}
