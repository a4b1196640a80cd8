package dev.ringpark.benchmarks.report;

import java.util.Locale;
import java.util.function.DoubleFunction;

/** How the report writes figures: three significant digits with k and M, ratios with an x. */
final class Format {
    /** What a cell shows where nothing was measured. */
    static final String MISSING = "–";

    private Format() {
    }

    /** A count or rate: {@code 987}, {@code 12.3k}, {@code 1.57M}. */
    static String count(double value) {
        if (Double.isNaN(value)) {
            return MISSING;
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 1e6) {
            return significant(value / 1e6) + "M";
        }
        if (magnitude >= 1e3) {
            return significant(value / 1e3) + "k";
        }
        return significant(value);
    }

    /** A whole count, such as threads: {@code 26}, {@code 280}. */
    static String whole(double value) {
        return Double.isNaN(value) ? MISSING : String.format(Locale.ROOT, "%.0f", value);
    }

    /** An axis tick: a count without trailing zeros, {@code 1}, {@code 2.5k}, {@code 10k}. */
    static String tick(double value) {
        String text = count(value);
        if (!text.contains(".")) {
            return text;
        }
        String suffix = text.endsWith("k") || text.endsWith("M") ? text.substring(text.length() - 1) : "";
        String number = text.substring(0, text.length() - suffix.length()).replaceAll("0+$", "").replaceAll("\\.$", "");
        return number + suffix;
    }

    /** A bandwidth in decimal units: {@code 950 MB/s}, {@code 1.85 GB/s}. */
    static String bandwidth(double bytesPerSecond) {
        if (Double.isNaN(bytesPerSecond)) {
            return MISSING;
        }
        return bytesPerSecond >= 1e9
                ? significant(bytesPerSecond / 1e9) + " GB/s"
                : significant(bytesPerSecond / 1e6) + " MB/s";
    }

    /** A ratio: {@code 3.84x}, {@code 0.003x}. */
    static String ratio(double ratio) {
        if (Double.isNaN(ratio)) {
            return MISSING;
        }
        return String.format(Locale.ROOT, ratio != 0 && Math.abs(ratio) < 0.1 ? "%.3fx" : "%.2fx", ratio);
    }

    /** Microseconds: {@code 7.5}, {@code 78}. */
    static String micros(double value) {
        return Double.isNaN(value) ? MISSING : String.format(Locale.ROOT, value < 10 ? "%.1f" : "%.0f", value);
    }

    /** Milliseconds with their unit: {@code 4.1 ms}, {@code 2278 ms}. */
    static String millis(double value) {
        return Double.isNaN(value) ? MISSING : String.format(Locale.ROOT, value < 10 ? "%.1f ms" : "%.0f ms", value);
    }

    /** A median with its range when there was more than one figure: {@code 85.9k (70.1k–114k)}. */
    static String count(Spread spread) {
        return withRange(spread, Format::count);
    }

    /** A bandwidth median with its range, in the median's unit: {@code 1.63 GB/s (1.59–1.67)}. */
    static String bandwidth(Spread spread) {
        double unit = spread.median() >= 1e9 ? 1e9 : 1e6;
        return withRange(spread, Format::bandwidth, value -> significant(value / unit));
    }

    private static String withRange(Spread spread, DoubleFunction<String> format) {
        return withRange(spread, format, format);
    }

    private static String withRange(Spread spread, DoubleFunction<String> median, DoubleFunction<String> range) {
        if (!spread.measured()) {
            return MISSING;
        }
        String text = median.apply(spread.median());
        if (spread.count() == 1) {
            return text;
        }
        return text + " (" + range.apply(spread.min()) + "–" + range.apply(spread.max()) + ")";
    }

    /** Three significant digits, no exponent: 1.23, 12.3, 123, 1230 (the caller scales first). */
    private static String significant(double value) {
        double magnitude = Math.abs(value);
        String pattern = magnitude >= 100 || magnitude == 0 ? "%.0f" : magnitude >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, pattern, value);
    }
}
