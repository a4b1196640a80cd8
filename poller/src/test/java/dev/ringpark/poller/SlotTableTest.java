package dev.ringpark.poller;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlotTableTest {
    private static Operation anOperation() {
        return new Close(-1);
    }

    @Test
    void userDataIsNeverZeroSoDriversCanKeepZeroForThemselves() {
        SlotTable slots = new SlotTable(4);
        for (int i = 0; i < 4; i++) {
            assertNotEquals(0L, slots.add(anOperation()));
        }
    }

    @Test
    void removeReturnsTheOperationOnceAndFreesItsSlot() {
        SlotTable slots = new SlotTable(1);
        Operation operation = anOperation();
        long userData = slots.add(operation);
        assertFalse(slots.hasFreeSlot());
        assertSame(operation, slots.remove(userData));
        assertTrue(slots.hasFreeSlot());
        assertNull(slots.remove(userData), "a duplicated completion must not be delivered twice");
    }

    @Test
    void aStaleCompletionNeverReachesTheSlotsNextOperation() {
        SlotTable slots = new SlotTable(1);
        long first = slots.add(anOperation());
        slots.remove(first);
        Operation second = anOperation();
        long reused = slots.add(second);
        assertEquals((int) first, (int) reused, "same slot");
        assertNotEquals(first, reused, "different generation");
        assertNull(slots.remove(first));
        assertSame(second, slots.remove(reused));
    }

    @Test
    void userDataOutsideTheTableIsIgnored() {
        SlotTable slots = new SlotTable(2);
        assertNull(slots.remove((1L << 32) | 7));
        assertNull(slots.remove(-1L));
    }

    @Test
    void occupiedCountsWhatIsInTheTable() {
        SlotTable slots = new SlotTable(8);
        Set<Long> userData = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            userData.add(slots.add(anOperation()));
        }
        assertEquals(8, userData.size(), "every slot has its own user_data");
        assertEquals(8, slots.occupied());
        userData.forEach(slots::remove);
        assertEquals(0, slots.occupied());
    }
}
