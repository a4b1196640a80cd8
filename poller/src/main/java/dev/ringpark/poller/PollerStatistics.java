package dev.ringpark.poller;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one poller has done, counted where it happens at no measurable cost: the poller thread's
 * counts in {@link ConfinedCounter}s (plain-cost stores that other threads read whole), the callers'
 * in {@link LongAdder}s (striped, so that callers on different carriers do not contend).
 * {@code snapshot} may be called from any thread; its figures are each exact but not taken at
 * one instant.
 */
public final class PollerStatistics {
    /**
     * The figures at one moment (each exact, not all at the same instant).
     *
     * @param completed          operations completed through the poller, by kind
     * @param bytesRead          bytes that completed reads moved
     * @param bytesWritten       bytes that completed writes moved
     * @param cancelled          operations that ended cancelled ({@code -ECANCELED})
     * @param sleeps             times the poller waited in the kernel (or parked) for work or completions
     * @param wakeupSignals      times a caller woke a sleeping poller (an eventfd write or unpark)
     * @param kernelCalls        system calls the driver made to submit and reap ({@code io_uring_enter},
     *                           {@code io_submit}, ...)
     * @param kernelSubmissions  requests those calls handed to the kernel (or the pool)
     * @param inFlight           operations in the driver now
     * @param inFlightHighWater  the most operations in the driver at once
     * @param backlog            operations waiting for a slot now
     * @param backlogHighWater   the most operations waiting for a slot at once
     */
    public record Snapshot(Map<OperationKind, Long> completed, long bytesRead, long bytesWritten, long cancelled,
                           long sleeps, long wakeupSignals, long kernelCalls, long kernelSubmissions, long inFlight,
                           long inFlightHighWater, long backlog, long backlogHighWater) {
        /** Copies {@code completed}. */
        public Snapshot {
            completed = Map.copyOf(completed);
        }

        /** The figures of a poller that has done nothing. */
        public static Snapshot none() {
            return new PollerStatistics().snapshot(null);
        }
    }

    private final ConfinedCounter[] completed = new ConfinedCounter[OperationKind.values().length];
    private final ConfinedCounter bytesRead = new ConfinedCounter();
    private final ConfinedCounter bytesWritten = new ConfinedCounter();
    private final ConfinedCounter cancelled = new ConfinedCounter();
    private final ConfinedCounter sleeps = new ConfinedCounter();
    private final ConfinedCounter inFlight = new ConfinedCounter();
    private final ConfinedCounter inFlightHighWater = new ConfinedCounter();
    private final ConfinedCounter backlog = new ConfinedCounter();
    private final ConfinedCounter backlogHighWater = new ConfinedCounter();
    private final LongAdder wakeupSignals = new LongAdder();

    PollerStatistics() {
        for (int i = 0; i < completed.length; i++) {
            completed[i] = new ConfinedCounter();
        }
    }

    /** Poller: {@code operation} completed with {@code result}. */
    void completed(Operation operation, int result) {
        OperationKind kind = OperationKind.of(operation);
        completed[kind.ordinal()].increment();
        if (result > 0 && kind == OperationKind.READ) {
            bytesRead.add(result);
        } else if (result > 0 && kind == OperationKind.WRITE) {
            bytesWritten.add(result);
        } else if (result == -Errno.ECANCELED) {
            cancelled.increment();
        }
    }

    /** Poller: about to wait for work or completions. */
    void sleeping() {
        sleeps.increment();
    }

    /** Poller: how many operations the driver and the backlog hold now. */
    void depths(int operationsInFlight, int operationsWaiting) {
        inFlight.set(operationsInFlight);
        inFlightHighWater.raiseTo(operationsInFlight);
        backlog.set(operationsWaiting);
        backlogHighWater.raiseTo(operationsWaiting);
    }

    /** Caller: woke the sleeping poller. */
    void wakeupSignalled() {
        wakeupSignals.increment();
    }

    /** The figures now; {@code driver} gives its own (null before the poller has one). */
    Snapshot snapshot(Driver driver) {
        Map<OperationKind, Long> byKind = new EnumMap<>(OperationKind.class);
        for (OperationKind kind : OperationKind.values()) {
            byKind.put(kind, completed[kind.ordinal()].get());
        }
        return new Snapshot(byKind, bytesRead.get(), bytesWritten.get(), cancelled.get(), sleeps.get(),
                wakeupSignals.sum(), driver == null ? 0 : driver.kernelCalls(),
                driver == null ? 0 : driver.kernelSubmissions(), inFlight.get(), inFlightHighWater.get(),
                backlog.get(), backlogHighWater.get());
    }
}
