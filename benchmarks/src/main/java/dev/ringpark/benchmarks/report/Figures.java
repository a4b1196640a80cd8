package dev.ringpark.benchmarks.report;

import dev.ringpark.benchmarks.report.Contenders.Contender;

import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The figures of one run, by the names the benchmarks and {@code run-benchmarks.sh} give them:
 * JMH's benchmarks and counters, and fio's jobs, named {@code <pattern>-<cache>-<iodepth>} (for
 * example {@code random-cold-32}).
 */
final class Figures {
    static final String RANDOM = "RandomReadBenchmark";
    static final String SEQUENTIAL = "SequentialReadBenchmark";
    static final String WAL = "WriteAheadLogBenchmark";
    static final String FAIRNESS = "FairnessBenchmark";
    static final String READS = "reads";
    static final String RECORDS = "records";
    static final String TASKS = "tasks";
    static final String CPU_PER_OP = "cpuMicrosPerOp";
    static final String OS_THREADS = "peakOsThreads";
    static final String START_DELAY = "maxStartDelayMillis";
    /** The concurrency of the workloads that do not sweep it. */
    static final String DEFAULT_THREADS = "256";

    private final JmhResults jmh;
    private final FioResults fio;

    Figures(JmhResults jmh, FioResults fio) {
        this.jmh = jmh;
        this.fio = fio;
    }

    /** The random-read parameters of a cache state at a concurrency ({@code null}: every concurrency). */
    static Map<String, String> random(String cache, String threads) {
        return threads == null ? Map.of("cache", cache) : Map.of("cache", cache, "threads", threads);
    }

    /** A rate counter ({@link #READS}, {@link #RECORDS}, {@link #TASKS}) of {@code contender}, over every iteration. */
    Spread rate(String benchmark, Map<String, String> where, Contender contender, String metric) {
        return jmh.rate(benchmark, Contenders.with(where, contender.params()), metric);
    }

    /** A summary counter ({@link #CPU_PER_OP}, {@link #OS_THREADS}, {@link #START_DELAY}) of {@code contender}, over forks. */
    Spread total(String benchmark, Map<String, String> where, Contender contender, String metric) {
        return jmh.total(benchmark, Contenders.with(where, contender.params()), metric);
    }

    /** The contenders that ran {@code benchmark} with {@code where}, in report order. */
    List<Contender> contenders(String benchmark, Map<String, String> where) {
        return Contenders.present(jmh, benchmark, where);
    }

    /** The values a parameter took, in numeric order. */
    List<String> values(String benchmark, Map<String, String> where, String param) {
        return jmh.values(benchmark, where, param);
    }

    /** A figure of fio's job {@code <pattern>-<cache>-<depth>}; nothing measured when fio did not run it. */
    Spread fio(String pattern, String cache, String depth, ToDoubleFunction<FioResults.Job> figure) {
        return fio.figure(pattern + "-" + cache + "-" + depth, figure);
    }

    /** The depths fio ran {@code <pattern>-<cache>-*} jobs at, in numeric order. */
    List<String> fioDepths(String pattern, String cache) {
        return fio.depths(pattern + "-" + cache + "-");
    }

    /** Whether fio ran at all. */
    boolean fioRan() {
        return fio.any();
    }

    /** The JDK the benchmarks ran on. */
    String jdk() {
        return jmh.jdk();
    }
}
