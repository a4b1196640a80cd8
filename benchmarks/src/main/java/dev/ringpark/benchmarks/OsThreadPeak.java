package dev.ringpark.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Reports, as the secondary result {@code peakOsThreads}, the most OS threads the JVM had at any
 * sample (every 10 ms) during the measurement: a count ({@code #}), not a rate.
 *
 * <p>The JDK keeps a virtual thread's carrier in a blocking file read and, for {@code O_DIRECT}, starts
 * an extra carrier to compensate, so its count grows with the reads in flight; Ringpark's should
 * stay flat.
 *
 * <p>JMH combines {@code EVENTS} counters of successive iterations (and forks) by adding them, which
 * suits counts but turns a peak of 278 over three iterations into 834. So each measurement iteration
 * reports by how much it raised the fork's peak, divided by the number of forks: the sum JMH prints
 * is the peak of the measurement, averaged over forks. The per-iteration lines therefore read like
 * "278, 0, 0"; warmup iterations, which JMH does not add up, report their own peak.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class OsThreadPeak {
    private OsThreadSampler sampler;
    private boolean measurement;
    private int forks;
    /** The highest count of this fork's measurement iterations so far. */
    private int measurementPeak;
    private double reported;

    /** Starts counting before the iteration's first invocation. */
    @Setup(Level.Iteration)
    public void startSampling(BenchmarkParams benchmark, IterationParams iteration) {
        measurement = iteration.getType() == IterationType.MEASUREMENT;
        forks = Math.max(1, benchmark.getForks()); // 0 forks runs in the host JVM: one "fork"
        sampler = OsThreadSampler.start();
    }

    /** Stops counting and works out what to report; JMH reads {@link #peakOsThreads()} after this. */
    @TearDown(Level.Iteration)
    public void stopSampling() throws InterruptedException {
        sampler.stop();
        int iterationPeak = sampler.peak();
        if (measurement) {
            int raisedPeak = Math.max(measurementPeak, iterationPeak);
            reported = (double) (raisedPeak - measurementPeak) / forks;
            measurementPeak = raisedPeak;
        } else {
            reported = iterationPeak;
        }
    }

    /** The counter; see the class comment for why it is a rise of the peak rather than the peak. */
    public double peakOsThreads() {
        return reported;
    }
}
