package dev.ringpark.benchmarks;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Turns one figure per iteration into what an {@code EVENTS} counter must report so that the total
 * JMH prints is the right summary of the measurement.
 *
 * <p>JMH combines the {@code EVENTS} counters of successive measurement iterations, and of forks, by
 * adding them: right for counts, wrong for a peak (278 threads over three iterations would print
 * as 834) or a per-operation cost. So each measurement iteration reports its share of the summary:
 * <ul>
 *   <li>{@link Summary#PEAK}: by how much it raised the fork's peak, divided by the forks; the
 *       total is the peak of the measurement, averaged over forks. Iteration lines read "278, 0, 0".</li>
 *   <li>{@link Summary#MEAN}: its figure divided by the measurement iterations and the forks; the
 *       total is the mean of the iterations' figures.</li>
 * </ul>
 * Warmup iterations, which JMH does not add up, report their own figure. Read the total: the final
 * table, or {@code score} in JMH's JSON; not the iteration lines, nor the "Secondary result" line a
 * fork prints, which averages the shares instead of adding them.
 */
final class EventShare {
    /** How the iterations' figures combine. */
    enum Summary { PEAK, MEAN }

    private final Summary summary;
    private boolean measurement;
    private int shares;
    private int forks;
    /** The highest figure of this fork's measurement iterations so far, for {@link Summary#PEAK}. */
    private double measurementPeak;

    EventShare(Summary summary) {
        this.summary = summary;
    }

    /** Called from the counter's {@code @Setup(Level.Iteration)}. */
    void startIteration(BenchmarkParams benchmark, IterationParams iteration) {
        // 0 forks runs in the host JVM: one "fork"
        startIteration(iteration.getType() == IterationType.MEASUREMENT, Math.max(1, benchmark.getForks()),
                benchmark.getMeasurement().getCount());
    }

    /** Starts an iteration of a run of {@code forks} forks of {@code measurementIterations} measured iterations each. */
    void startIteration(boolean measurement, int forks, int measurementIterations) {
        this.measurement = measurement;
        this.forks = forks;
        shares = forks * measurementIterations;
    }

    /** What the counter reports for an iteration whose figure is {@code figure}. */
    double share(double figure) {
        if (!measurement) {
            return figure;
        }
        return switch (summary) {
            case MEAN -> figure / shares;
            case PEAK -> {
                double raisedPeak = Math.max(measurementPeak, figure);
                double rise = raisedPeak - measurementPeak;
                measurementPeak = raisedPeak;
                yield rise / forks;
            }
        };
    }
}
