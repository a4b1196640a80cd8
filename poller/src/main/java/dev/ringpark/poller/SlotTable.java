package dev.ringpark.poller;

import java.util.function.Consumer;

/**
 * The operations in the driver, indexed by the {@code user_data} they were submitted with. Poller
 * only.
 *
 * <p>A {@code user_data} is a slot index in its low 32 bits and the slot's generation in its high 32
 * bits. Freeing a slot advances its generation, so a completion for an operation that has already
 * left its slot (a stale or duplicated CQE) finds a different generation and is ignored instead of
 * reaching the slot's next operation. Generations start at 1 and wrap from {@code Integer.MAX_VALUE}
 * back to 1, so no {@code user_data} is 0 or negative: drivers keep those for their own entries (the
 * io_uring driver's wake-up read, its linked timeouts).
 */
final class SlotTable {
    private final Operation[] operations;
    private final int[] generations;
    private final int[] freeSlots;
    private int freeCount;

    SlotTable(int capacity) {
        operations = new Operation[capacity];
        generations = new int[capacity];
        freeSlots = new int[capacity];
        for (int slot = 0; slot < capacity; slot++) {
            generations[slot] = 1;
            freeSlots[slot] = capacity - 1 - slot;
        }
        freeCount = capacity;
    }

    boolean hasFreeSlot() {
        return freeCount > 0;
    }

    /** Operations in the table. */
    int occupied() {
        return operations.length - freeCount;
    }

    /** Puts {@code operation} in a free slot (there must be one) and returns its {@code user_data}. */
    long add(Operation operation) {
        int slot = freeSlots[--freeCount];
        operations[slot] = operation;
        return ((long) generations[slot] << 32) | slot;
    }

    /**
     * Removes and returns the operation {@code userData} names, or {@code null} when that slot no
     * longer holds it (a stale {@code user_data}).
     */
    Operation remove(long userData) {
        int slot = (int) userData;
        int generation = (int) (userData >>> 32);
        if (slot < 0 || slot >= operations.length || generations[slot] != generation) {
            return null;
        }
        Operation operation = operations[slot];
        if (operation == null) {
            return null;
        }
        operations[slot] = null;
        generations[slot] = generation == Integer.MAX_VALUE ? 1 : generation + 1;
        freeSlots[freeCount++] = slot;
        return operation;
    }

    /** Visits every operation in the table. */
    void forEach(Consumer<Operation> visitor) {
        for (Operation operation : operations) {
            if (operation != null) {
                visitor.accept(operation);
            }
        }
    }
}
