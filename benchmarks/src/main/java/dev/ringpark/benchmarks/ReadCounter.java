package dev.ringpark.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Reports, as the secondary result {@code reads}, the reads completed per second: the figure to
 * compare (the primary score counts the JMH thread's samples). JMH zeroes the field before each
 * iteration and divides it by the iteration's time.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class ReadCounter {
    /** Reads completed in this iteration so far. */
    public long reads;
}
