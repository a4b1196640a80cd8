package dev.ringpark.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The benchmark results of a run: every JMH JSON file of the run read into one list, one entry
 * per fork (a parameter combination in one round).
 *
 * <p>Rates ({@code OPERATIONS} counters such as {@code reads}) are summarised over every
 * measurement iteration of every round; the {@code EVENTS} counters ({@code peakOsThreads},
 * {@code cpuMicrosPerOp}, {@code maxStartDelayMillis}) are summaries of a fork already, so they are
 * summarised over the forks' totals (see the benchmarks' {@code EventShare}).
 */
final class JmhResults {
    /** One fork's result. */
    record Result(String benchmark, Map<String, String> params, Map<String, List<Double>> iterations,
                  Map<String, Double> totals, String jdk) {
        boolean matches(String benchmarkName, Map<String, String> wanted) {
            return benchmark.equals(benchmarkName)
                    && wanted.entrySet().stream().allMatch(e -> e.getValue().equals(params.get(e.getKey())));
        }
    }

    private final List<Result> results;

    private JmhResults(List<Result> results) {
        this.results = results;
    }

    /** Reads every JMH JSON file given. */
    static JmhResults read(List<Path> files) throws IOException {
        List<Result> results = new ArrayList<>();
        for (Path file : files) {
            for (Object entry : (List<?>) Json.parse(Files.readString(file))) {
                results.add(result((Map<?, ?>) entry));
            }
        }
        return new JmhResults(results);
    }

    /** The median and range of metric {@code metric}'s iterations, over every matching fork. */
    Spread rate(String benchmark, Map<String, String> params, String metric) {
        List<Double> figures = new ArrayList<>();
        matching(benchmark, params).forEach(r -> figures.addAll(r.iterations().getOrDefault(metric, List.of())));
        return Spread.of(figures);
    }

    /** The median and range of metric {@code metric}'s totals, one per matching fork. */
    Spread total(String benchmark, Map<String, String> params, String metric) {
        List<Double> figures = new ArrayList<>();
        matching(benchmark, params).forEach(r -> {
            Double total = r.totals().get(metric);
            if (total != null) {
                figures.add(total);
            }
        });
        return Spread.of(figures);
    }

    /** The values parameter {@code param} took in the matching forks, as numbers where they are, sorted. */
    List<String> values(String benchmark, Map<String, String> params, String param) {
        TreeSet<String> values = new TreeSet<>(JmhResults::compareValues);
        matching(benchmark, params).stream().map(r -> r.params().get(param)).filter(Objects::nonNull).forEach(values::add);
        return List.copyOf(values);
    }

    /** The JDK the forks ran on, as JMH recorded it; empty when there were no results. */
    String jdk() {
        return results.isEmpty() ? "" : results.getFirst().jdk();
    }

    private List<Result> matching(String benchmark, Map<String, String> params) {
        return results.stream().filter(r -> r.matches(benchmark, params)).toList();
    }

    private static int compareValues(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    private static Result result(Map<?, ?> entry) {
        String benchmark = (String) entry.get("benchmark");
        // "dev.ringpark.benchmarks.RandomReadBenchmark.randomReads" -> "RandomReadBenchmark"
        String className = benchmark.substring(0, benchmark.lastIndexOf('.'));
        String simpleName = className.substring(className.lastIndexOf('.') + 1);
        Map<String, String> params = new LinkedHashMap<>();
        Object declared = entry.get("params");
        if (declared instanceof Map<?, ?> map) {
            map.forEach((name, value) -> params.put((String) name, String.valueOf(value)));
        }
        Map<String, List<Double>> iterations = new LinkedHashMap<>();
        Map<String, Double> totals = new LinkedHashMap<>();
        Object secondary = entry.get("secondaryMetrics");
        if (secondary instanceof Map<?, ?> metrics) {
            metrics.forEach((name, metric) -> {
                Map<?, ?> fields = (Map<?, ?>) metric;
                totals.put((String) name, number(fields.get("score")));
                List<Double> raw = new ArrayList<>();
                for (Object fork : (List<?>) fields.get("rawData")) {
                    for (Object iteration : (List<?>) fork) {
                        raw.add(number(iteration));
                    }
                }
                iterations.put((String) name, raw);
            });
        }
        String jdk = entry.get("vmName") + " " + entry.get("jdkVersion");
        return new Result(simpleName, params, iterations, totals, jdk);
    }

    /** JMH writes NaN and infinities as strings. */
    private static double number(Object value) {
        return value instanceof Double d ? d : Double.NaN;
    }
}
