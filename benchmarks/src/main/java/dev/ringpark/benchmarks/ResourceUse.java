package dev.ringpark.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;

/**
 * What the operations cost the process, as two secondary results:
 * <ul>
 *   <li>{@code peakOsThreads}: the most OS threads the JVM had at any sample (every 10 ms) during
 *       the measurement, JMH's own and the sampler's included: a count ({@code #}), not a rate. The
 *       JDK keeps a virtual thread's carrier in a blocking file call and, for {@code O_DIRECT},
 *       starts another carrier to compensate, so its count grows with the calls in flight; a pool
 *       has its threads; Ringpark's count should stay flat.</li>
 *   <li>{@code cpuMicrosPerOp}: the process's CPU time (every thread, see {@link ProcessCpu})
 *       divided by the operations the benchmark completed, in microseconds, over the measurement.</li>
 * </ul>
 * Both are summaries of the measurement, not sums (see {@link EventShare}): read JMH's total line.
 * The benchmark feeds the CPU figure through {@link #add}.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class ResourceUse {
    private final EventShare threadShare = new EventShare(EventShare.Summary.PEAK);
    private final EventShare cpuShare = new EventShare(EventShare.Summary.MEAN);
    private OsThreadSampler sampler;
    private long operations;
    private long cpuNanos;
    private double reportedThreads;
    private double reportedCpu;

    /** Starts counting before the iteration's first invocation. */
    @Setup(Level.Iteration)
    public void startIteration(BenchmarkParams benchmark, IterationParams iteration) {
        threadShare.startIteration(benchmark, iteration);
        cpuShare.startIteration(benchmark, iteration);
        operations = 0;
        cpuNanos = 0;
        sampler = OsThreadSampler.start();
    }

    /** Adds operations the benchmark completed and the process CPU time they took. */
    public void add(Load.Progress progress) {
        operations += progress.operations();
        cpuNanos += progress.cpuNanos();
    }

    /** Stops counting and works out what to report; JMH reads the counters after this. */
    @TearDown(Level.Iteration)
    public void stopIteration() throws InterruptedException {
        sampler.stop();
        reportedThreads = threadShare.share(sampler.peak());
        double cpuMicrosPerOp = operations == 0 ? Double.NaN : cpuNanos / 1e3 / operations;
        reportedCpu = cpuShare.share(cpuMicrosPerOp);
    }

    /** The counter {@code peakOsThreads}. */
    public double peakOsThreads() {
        return reportedThreads;
    }

    /** The counter {@code cpuMicrosPerOp}. */
    public double cpuMicrosPerOp() {
        return reportedCpu;
    }
}
