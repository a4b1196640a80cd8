package dev.ringpark.poller;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the calls made on the callers' threads ({@link CallerCalls}) have done, process-wide: striped
 * counters, so that callers on different carriers do not contend on one word.
 */
public final class CallerStatistics {
    private static final LongAdder CACHED_READS = new LongAdder();
    private static final LongAdder CACHED_READ_MISSES = new LongAdder();
    private static final LongAdder OPENS = new LongAdder();
    private static final LongAdder CLOSES = new LongAdder();
    private static final LongAdder SIZES = new LongAdder();

    /**
     * The figures at one moment (each exact, not all at the same instant).
     *
     * @param cachedReads      reads the page cache answered on the caller
     * @param cachedReadMisses reads it could not answer whole, which went through the poller
     * @param opens            opens made on the caller
     * @param closes           closes made on the caller
     * @param sizes            sizes asked on the caller
     */
    public record Snapshot(long cachedReads, long cachedReadMisses, long opens, long closes, long sizes) {
    }

    private CallerStatistics() {
    }

    /** The figures now. */
    public static Snapshot snapshot() {
        return new Snapshot(CACHED_READS.sum(), CACHED_READ_MISSES.sum(), OPENS.sum(), CLOSES.sum(), SIZES.sum());
    }

    static void cachedRead(boolean answered) {
        (answered ? CACHED_READS : CACHED_READ_MISSES).increment();
    }

    static void openedOnCaller() {
        OPENS.increment();
    }

    static void closedOnCaller() {
        CLOSES.increment();
    }

    static void sizedOnCaller() {
        SIZES.increment();
    }
}
