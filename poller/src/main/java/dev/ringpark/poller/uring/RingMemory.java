package dev.ringpark.poller.uring;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Every non-plain access to memory shared with the kernel. Each method names its access mode; the
 * package documentation says which kernel access each one pairs with.
 */
final class RingMemory {
    /** Coordinates (segment, offset); {@code JAVA_INT} is 4-byte aligned, which ring words are. */
    private static final VarHandle INT = JAVA_INT.varHandle();

    private RingMemory() {
    }

    /** Reads a ring word the kernel stores with release semantics (CQ tail, SQ head). */
    static int getIntAcquire(MemorySegment ring, long offset) {
        return (int) INT.getAcquire(ring, offset);
    }

    /**
     * Reads a ring word the kernel changes with an unordered atomic (SQ flags): a single untorn read
     * that the compiler may not hoist out of a loop, ordering nothing ({@code READ_ONCE}).
     */
    static int getIntOpaque(MemorySegment ring, long offset) {
        return (int) INT.getOpaque(ring, offset);
    }

    /**
     * Publishes a ring word the kernel reads after our plain stores or loads must be done: the SQ tail
     * (the kernel acquires it) and the CQ head (the kernel reads it with a control dependency).
     */
    static void setIntRelease(MemorySegment ring, long offset, int value) {
        INT.setRelease(ring, offset, value);
    }
}
