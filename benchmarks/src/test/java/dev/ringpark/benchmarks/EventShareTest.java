package dev.ringpark.benchmarks;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What JMH adds up (every measurement iteration of every fork) comes out as the summary. */
class EventShareTest {
    @Test
    void peakSharesAddUpToThePeakAveragedOverForks() {
        double total = 0;
        for (double[] fork : new double[][] {{278, 280, 279}, {270, 260, 265}}) {
            EventShare share = new EventShare(EventShare.Summary.PEAK);
            for (double figure : fork) {
                share.startIteration(true, 2, 3);
                total += share.share(figure);
            }
        }
        assertEquals((280 + 270) / 2.0, total, 1e-9);
    }

    @Test
    void meanSharesAddUpToTheMeanOfAllIterations() {
        EventShare share = new EventShare(EventShare.Summary.MEAN);
        double total = 0;
        for (double figure : new double[] {4, 5, 9}) {
            share.startIteration(true, 1, 3);
            total += share.share(figure);
        }
        assertEquals(6, total, 1e-9);
    }

    @Test
    void warmupIterationsReportTheirOwnFigure() {
        EventShare share = new EventShare(EventShare.Summary.PEAK);
        share.startIteration(false, 1, 3);
        assertEquals(300, share.share(300));
        share.startIteration(true, 1, 3);
        assertEquals(250, share.share(250), "a warm-up peak does not count against the measurement's");
    }
}
