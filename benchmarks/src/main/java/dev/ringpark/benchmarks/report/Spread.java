package dev.ringpark.benchmarks.report;

import java.util.List;

/**
 * The median of a set of figures, and their range: how the report summarises repeated
 * measurements (iterations and rounds) of one thing.
 *
 * @param median the median (the mean of the middle two for an even count); NaN when empty
 * @param min    the smallest figure
 * @param max    the largest figure
 * @param count  how many figures there were; 0 means nothing was measured
 */
record Spread(double median, double min, double max, int count) {
    /** Nothing measured. */
    static final Spread NONE = new Spread(Double.NaN, Double.NaN, Double.NaN, 0);

    /** The spread of {@code figures}, NaNs left out. */
    static Spread of(List<Double> figures) {
        double[] sorted = figures.stream().mapToDouble(Double::doubleValue).filter(f -> !Double.isNaN(f)).sorted().toArray();
        int n = sorted.length;
        if (n == 0) {
            return NONE;
        }
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Spread(median, sorted[0], sorted[n - 1], n);
    }

    /** Whether anything was measured. */
    boolean measured() {
        return count > 0;
    }

    /** This spread with every figure multiplied by {@code factor} (a unit change). */
    Spread times(double factor) {
        return new Spread(median * factor, min * factor, max * factor, count);
    }

    /** The ratio of the medians, or NaN when either is missing. */
    double ratioTo(Spread other) {
        return measured() && other.measured() ? median / other.median : Double.NaN;
    }
}
