package dev.ringpark.benchmarks.report;

import dev.ringpark.benchmarks.report.Contenders.Contender;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.ringpark.benchmarks.report.Figures.CPU_PER_OP;
import static dev.ringpark.benchmarks.report.Figures.DEFAULT_THREADS;
import static dev.ringpark.benchmarks.report.Figures.FAIRNESS;
import static dev.ringpark.benchmarks.report.Figures.OS_THREADS;
import static dev.ringpark.benchmarks.report.Figures.RANDOM;
import static dev.ringpark.benchmarks.report.Figures.READS;
import static dev.ringpark.benchmarks.report.Figures.RECORDS;
import static dev.ringpark.benchmarks.report.Figures.SEQUENTIAL;
import static dev.ringpark.benchmarks.report.Figures.START_DELAY;
import static dev.ringpark.benchmarks.report.Figures.TASKS;
import static dev.ringpark.benchmarks.report.Figures.WAL;
import static dev.ringpark.benchmarks.report.Figures.random;

/**
 * Issue 5's goals, each checked against the run's figures: the ratio or figure measured, and
 * whether it is met or by how much it is missed. Ringpark here is Ringpark on io_uring.
 */
final class Goals {
    /** One goal's line: its number in the issue, what it asks, what was measured, the verdict. */
    record Goal(String number, String asks, String measured, String verdict) {
    }

    private static final Contender JDK = Contenders.JDK;
    private static final Contender RINGPARK = Contenders.RINGPARK;

    private final Figures figures;
    private final List<Goal> goals = new ArrayList<>();

    private Goals(Figures figures) {
        this.figures = figures;
    }

    /** Every goal of issue 5, in its order. */
    static List<Goal> evaluate(Figures figures) {
        Goals evaluation = new Goals(figures);
        evaluation.randomReads();
        evaluation.sequentialReads();
        evaluation.writeAheadLog();
        evaluation.fairness();
        evaluation.scaling();
        return List.copyOf(evaluation.goals);
    }

    /** The verdict on a figure that must be at least {@code goal}. */
    static String atLeast(double figure, double goal) {
        if (Double.isNaN(figure)) {
            return "not measured";
        }
        return figure >= goal ? "met" : String.format(Locale.ROOT, "**missed** by %.0f%%", (goal - figure) / goal * 100);
    }

    /** The verdict on a figure that must be at most {@code limit}. */
    static String atMost(double figure, double limit) {
        if (Double.isNaN(figure)) {
            return "not measured";
        }
        return figure <= limit ? "met" : String.format(Locale.ROOT, "**missed** by %.0f%%", (figure - limit) / limit * 100);
    }

    /** The verdict on a thread count that must be at most {@code limit}: by how many threads it is missed. */
    static String atMostThreads(double figure, int limit) {
        if (Double.isNaN(figure)) {
            return "not measured";
        }
        return figure <= limit ? "met" : String.format(Locale.ROOT, "**missed** by %.0f threads", figure - limit);
    }

    private void randomReads() {
        Map<String, String> hot = random("hot", DEFAULT_THREADS);
        double hotRatio = ratio(RANDOM, hot, READS, RINGPARK, JDK);
        add("1", "4 KiB random reads, hot, 256 threads: Ringpark ≥ 1.0x the JDK", versus(RANDOM, hot, READS, JDK, hotRatio),
                atLeast(hotRatio, 1.0));

        Map<String, String> cold = random("cold", DEFAULT_THREADS);
        double coldRatio = ratio(RANDOM, cold, READS, RINGPARK, JDK);
        add("2", "cold, 256 threads: ≥ 3.3x the JDK", versus(RANDOM, cold, READS, JDK, coldRatio), atLeast(coldRatio, 3.3));
        Spread ringparkCold = figures.rate(RANDOM, cold, RINGPARK, READS);
        Spread fioCold32 = figures.fio("random", "cold", "32", FioResults.Job::iops);
        double fioRatio = ringparkCold.ratioTo(fioCold32);
        add("2", "cold, 256 threads: ≥ 0.9x fio io_uring at iodepth 32",
                measured(fioRatio, Format.count(ringparkCold.median()) + " vs " + Format.count(fioCold32.median()) + " reads/s"),
                atLeast(fioRatio, 0.9));

        Map<String, String> direct = random("direct", DEFAULT_THREADS);
        double directRatio = ratio(RANDOM, direct, READS, RINGPARK, JDK);
        add("3", "O_DIRECT, 256 threads: ≥ 1.0x the JDK", versus(RANDOM, direct, READS, JDK, directRatio),
                atLeast(directRatio, 1.0));
        Spread threads = figures.total(RANDOM, direct, RINGPARK, OS_THREADS);
        add("3", "O_DIRECT, 256 threads: ≤ 24 OS threads",
                Format.whole(threads.median()) + " (JDK: " + Format.whole(figures.total(RANDOM, direct, JDK, OS_THREADS).median()) + ")",
                atMostThreads(threads.median(), 24));
        for (String depth : figures.values(RANDOM, random("direct", null), "threads")) {
            Spread cpu = figures.total(RANDOM, random("direct", depth), RINGPARK, CPU_PER_OP);
            Spread fioCpu = figures.fio("random", "direct", depth, FioResults.Job::cpuMicrosPerOp);
            double cpuRatio = cpu.ratioTo(fioCpu);
            add("3", "O_DIRECT, " + threads(depth) + ": CPU per read ≤ 1.3x fio io_uring's at iodepth " + depth,
                    measured(cpuRatio, Format.micros(cpu.median()) + " vs " + Format.micros(fioCpu.median()) + " µs"), atMost(cpuRatio, 1.3));
        }
        Spread alone = figures.rate(RANDOM, random("direct", "1"), RINGPARK, READS);
        Spread fioAlone = figures.fio("random", "direct", "1", FioResults.Job::iops);
        double latencyRatio = fioAlone.ratioTo(alone); // mean latency is the inverse of the rate at depth 1
        add("3", "O_DIRECT, 1 thread: mean latency ≤ 1.15x fio io_uring's at iodepth 1",
                measured(latencyRatio, Format.micros(1e6 / alone.median()) + " vs " + Format.micros(1e6 / fioAlone.median()) + " µs"),
                atMost(latencyRatio, 1.15));
    }

    private void sequentialReads() {
        for (String cache : List.of("cold", "direct")) {
            Map<String, String> where = Map.of("cache", cache);
            String asks = "sequential 1 MiB reads, " + cache + ": ≥ 0.95x fio's bandwidth";
            List<String> depths = figures.values(SEQUENTIAL, where, "threads");
            if (depths.isEmpty()) {
                add("4", asks, Format.MISSING, "not measured");
                continue;
            }
            String depth = depths.getFirst();
            double blockBytes = Double.parseDouble(figures.values(SEQUENTIAL, where, "blockBytes").getFirst());
            Spread bandwidth = figures.rate(SEQUENTIAL, Contenders.with(where, Map.of("threads", depth)), RINGPARK, READS)
                    .times(blockBytes);
            Spread fioBandwidth = figures.fio("sequential", cache, depth, FioResults.Job::bytesPerSecond);
            double ratio = bandwidth.ratioTo(fioBandwidth);
            add("4", asks + " (iodepth " + depth + ")",
                    measured(ratio, Format.bandwidth(bandwidth.median()) + " vs " + Format.bandwidth(fioBandwidth.median())),
                    atLeast(ratio, 0.95));
        }
    }

    private void writeAheadLog() {
        Map<String, String> where = Map.of();
        double ratio = ratio(WAL, where, RECORDS, RINGPARK, JDK);
        add("5", "write-ahead log, 256 threads: records durable per second against the JDK",
                versus(WAL, where, RECORDS, JDK, ratio), "no figure set");
    }

    private void fairness() {
        Map<String, String> where = Map.of();
        Spread alone = figures.rate(FAIRNESS, where, Contenders.ALONE, TASKS);
        double kept = figures.rate(FAIRNESS, where, RINGPARK, TASKS).ratioTo(alone);
        double jdkKept = figures.rate(FAIRNESS, where, JDK, TASKS).ratioTo(alone);
        add("6", "fairness: CPU-bound threads beside 256 O_DIRECT readers keep ≥ 0.9x their solo throughput",
                Format.ratio(kept) + " (JDK: " + Format.ratio(jdkKept) + ")", atLeast(kept, 0.9));
        Spread delay = figures.total(FAIRNESS, where, RINGPARK, START_DELAY);
        add("6", "fairness: they start within 10 ms",
                Format.millis(delay.median()) + " at most (JDK: " + Format.millis(figures.total(FAIRNESS, where, JDK, START_DELAY).median()) + ")",
                atMost(delay.median(), 10));
    }

    private void scaling() {
        List<String> steps = figures.values(RANDOM, random("cold", null), "threads");
        if (steps.isEmpty()) {
            add("7", "scaling, cold reads: throughput and OS threads from 1 to 10,000 threads", Format.MISSING, "not measured");
            return;
        }
        String first = steps.getFirst();
        String last = steps.getLast();
        Map<String, String> atFirst = random("cold", first);
        Map<String, String> atLast = random("cold", last);
        StringBuilder measured = new StringBuilder();
        for (Contender contender : List.of(RINGPARK, JDK)) {
            measured.append(measured.isEmpty() ? "" : "; ").append(contender == JDK ? "JDK " : "Ringpark ")
                    .append(Format.count(figures.rate(RANDOM, atFirst, contender, READS).median())).append(" → ")
                    .append(Format.count(figures.rate(RANDOM, atLast, contender, READS).median())).append(" reads/s, ")
                    .append(Format.whole(figures.total(RANDOM, atLast, contender, OS_THREADS).median()))
                    .append(" OS threads at ").append(last);
        }
        add("7", "scaling, cold reads: throughput and OS threads from " + first + " to " + last + " threads",
                measured.toString(), "no figure set");
    }

    private void add(String number, String asks, String measured, String verdict) {
        goals.add(new Goal(number, asks, measured, verdict));
    }

    /** {@code "1 thread"}, {@code "32 threads"}. */
    private static String threads(String count) {
        return count + (count.equals("1") ? " thread" : " threads");
    }

    private double ratio(String benchmark, Map<String, String> where, String metric, Contender numerator, Contender denominator) {
        return figures.rate(benchmark, where, numerator, metric).ratioTo(figures.rate(benchmark, where, denominator, metric));
    }

    private String versus(String benchmark, Map<String, String> where, String metric, Contender other, double ratio) {
        return measured(ratio, Format.count(figures.rate(benchmark, where, RINGPARK, metric).median()) + " vs "
                + Format.count(figures.rate(benchmark, where, other, metric).median()) + " " + metric + "/s");
    }

    /** The ratio and what it divides, or only the latter where a side is missing. */
    private static String measured(double ratio, String detail) {
        return Double.isNaN(ratio) ? detail : Format.ratio(ratio) + ": " + detail;
    }
}
