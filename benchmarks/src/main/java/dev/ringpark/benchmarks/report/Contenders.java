package dev.ringpark.benchmarks.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contenders as the report names and draws them: the JDK's three ways and Ringpark once per
 * driver that ran, in that order, each with a fixed colour so that a contender looks the same in
 * every chart.
 */
final class Contenders {
    /** fio's line in the charts. */
    static final String FIO_COLOR = "#555555";

    /**
     * One contender as results select it.
     *
     * @param label  its name in tables and legends
     * @param params the parameters that pick its results ({@code contender}, and {@code driver} for Ringpark)
     * @param color  its colour in charts
     */
    record Contender(String label, Map<String, String> params, String color) {
        /** Whether this is the JDK on virtual threads, every ratio's denominator. */
        boolean isJdk() {
            return "jdk".equals(params.get("contender"));
        }

        /** Whether this is Ringpark on its default driver, the one the goals are about. */
        boolean isRingpark() {
            return "ringpark".equals(params.get("contender")) && DEFAULT_DRIVER.equals(params.get("driver"));
        }
    }

    static final String DEFAULT_DRIVER = "io_uring";
    /** Ringpark's colours, by driver: io_uring, aio, threads (declared before the constants that use them). */
    private static final List<String> DRIVER_COLORS = List.of("#1f77b4", "#2ca02c", "#17becf");
    static final Contender JDK = new Contender("JDK FileChannel, virtual threads", Map.of("contender", "jdk"), "#d62728");
    static final Contender RINGPARK = ringpark(DEFAULT_DRIVER);
    /** No contender: the fairness benchmark's CPU-bound threads alone, the baseline of its ratios. */
    static final Contender ALONE = new Contender("none (alone)", Map.of("contender", "none"), "");
    private static final List<Contender> JDK_WAYS = List.of(JDK,
            new Contender("JDK FileChannel, platform pool", Map.of("contender", "pool"), "#ff7f0e"),
            new Contender("JDK AsynchronousFileChannel", Map.of("contender", "async"), "#9467bd"));

    private Contenders() {
    }

    /** The contenders with results in {@code benchmark} among those matching {@code params}, in report order. */
    static List<Contender> present(JmhResults results, String benchmark, Map<String, String> params) {
        List<Contender> present = new ArrayList<>();
        List<String> names = results.values(benchmark, params, "contender");
        JDK_WAYS.stream().filter(c -> names.contains(c.params().get("contender"))).forEach(present::add);
        if (names.contains("ringpark")) {
            List<String> drivers = new ArrayList<>(results.values(benchmark, with(params, Map.of("contender", "ringpark")), "driver"));
            drivers.sort((a, b) -> Boolean.compare(!a.equals(DEFAULT_DRIVER), !b.equals(DEFAULT_DRIVER)));
            drivers.forEach(driver -> present.add(ringpark(driver)));
        }
        return present;
    }

    /** {@code base} with {@code more} added (or replacing). */
    static Map<String, String> with(Map<String, String> base, Map<String, String> more) {
        LinkedHashMap<String, String> merged = new LinkedHashMap<>(base);
        merged.putAll(more);
        return merged;
    }

    private static Contender ringpark(String driver) {
        int shade = Math.max(0, List.of(DEFAULT_DRIVER, "aio", "threads").indexOf(driver));
        return new Contender("Ringpark (" + driver + ")", Map.of("contender", "ringpark", "driver", driver),
                DRIVER_COLORS.get(shade));
    }
}
