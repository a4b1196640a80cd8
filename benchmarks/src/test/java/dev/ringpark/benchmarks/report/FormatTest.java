package dev.ringpark.benchmarks.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FormatTest {
    @Test
    void countsKeepThreeSignificantDigits() {
        assertEquals("987", Format.count(987));
        assertEquals("12.3k", Format.count(12_345));
        assertEquals("1.57M", Format.count(1_572_991));
        assertEquals("3.11", Format.count(3.114));
        assertEquals(Format.MISSING, Format.count(Double.NaN));
    }

    @Test
    void spreadsShowTheRangeOnlyWhenThereIsOne() {
        assertEquals("85.9k (70.1k–114k)", Format.count(Spread.of(List.of(70_100.0, 85_875.0, 114_200.0))));
        assertEquals("85.9k", Format.count(Spread.of(List.of(85_875.0))));
        assertEquals("1.63 GB/s (1.59–1.67)", Format.bandwidth(Spread.of(List.of(1.59e9, 1.63e9, 1.67e9))));
    }

    @Test
    void ratiosKeepSmallOnesReadable() {
        assertEquals("3.84x", Format.ratio(3.8412));
        assertEquals("0.002x", Format.ratio(0.0018));
    }

    @Test
    void ticksDropTrailingZeros() {
        assertEquals("1", Format.tick(1));
        assertEquals("100", Format.tick(100));
        assertEquals("10k", Format.tick(10_000));
        assertEquals("2.5k", Format.tick(2_500));
        assertEquals("120k", Format.tick(120_000));
    }

    @Test
    void mediansOfEvenCountsAreTheMeanOfTheMiddleTwo() {
        Spread spread = Spread.of(List.of(4.0, 1.0, Double.NaN, 3.0, 2.0));
        assertEquals(2.5, spread.median());
        assertEquals(4, spread.count(), "NaN is left out");
        assertEquals(1, spread.min());
        assertEquals(4, spread.max());
    }
}
