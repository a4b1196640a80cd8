package dev.ringpark.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Reports, as the secondary result {@code mebibytes}, the MiB moved per second by a benchmark
 * whose unit of work is a whole file: the figure to compare, counted as the bytes go rather than
 * per file, so that a 1 GiB file gives more than one sample an iteration.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class ByteCounter {
    /** MiB moved in this iteration so far. */
    public double mebibytes;
}
