package dev.ringpark.benchmarks.report;

import dev.ringpark.benchmarks.report.Contenders.Contender;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

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

/** The generated part of {@code docs/BENCHMARKS.md}: the run, the goals, a section per workload. */
final class Sections {
    private final Figures figures;
    private final StringBuilder text = new StringBuilder();

    private Sections(Figures figures) {
        this.figures = figures;
    }

    /**
     * The Markdown of the run.
     *
     * @param run    what the script recorded about the run and the machine
     * @param charts where the charts are, relative to the document
     */
    static String render(Figures figures, RunInfo run, String charts) {
        Sections sections = new Sections(figures);
        sections.run(run);
        sections.goals(charts);
        sections.randomReads("1. 4 KiB random reads, page cache hot", "hot", """
                256 virtual threads read random 4 KiB blocks of a 1 GiB file that was read fully just before \
                each iteration. fio reads the same cached file.""");
        sections.randomReads("2. 4 KiB random reads, page cache cold", "cold", """
                256 virtual threads read random 4 KiB blocks of the file, dropped from the page cache before each \
                iteration and again whenever the readers come back to the start of the file's shuffled order. fio \
                reads the same file with its cache dropped in the same way (`invalidate=1`, once per pass).""");
        sections.directReads(charts);
        sections.sequentialReads();
        sections.writeAheadLog();
        sections.fairness();
        sections.scaling();
        return sections.text.toString();
    }

    private void run(RunInfo run) {
        text.append("## The run\n\n");
        if (!run.note().isEmpty()) {
            text.append("**").append(run.note()).append("**\n\n");
        }
        text.append("- **When**: ").append(run.date()).append(", commit ").append(run.commit()).append('\n');
        text.append("- **Command**: `").append(run.command()).append("` (").append(run.mode()).append("); it took ")
                .append(run.elapsed()).append('\n');
        text.append("- **Machine**: ").append(run.machine()).append('\n');
        text.append("- **JDK**: ").append(figures.jdk()).append("; **fio**: ").append(run.fio()).append("\n\n");
        text.append("""
                Each figure is the median of every measured iteration (JMH) or job (fio) of the run, with \
                the range in parentheses; CPU time per operation and peak OS threads are one figure per fork, \
                the median over rounds. All contenders and fio ran in this one run, interleaved, on the same file.

                """);
    }

    private void goals(String charts) {
        text.append("## Goals\n\n");
        MarkdownTable table = new MarkdownTable(4, "#", "goal", "measured", "verdict");
        Goals.evaluate(figures).forEach(g -> table.row(g.number(), g.asks(), g.measured(), g.verdict()));
        text.append(table.render()).append('\n');
        charts(charts, "scaling", "cold 4 KiB random reads");
    }

    private void randomReads(String title, String cache, String description) {
        section(title, description);
        Map<String, String> where = Figures.random(cache, DEFAULT_THREADS);
        Spread jdk = figures.rate(RANDOM, where, Contenders.JDK, READS);
        MarkdownTable table = new MarkdownTable("contender", "reads/s", "vs JDK", "CPU µs per read", "peak OS threads");
        contenderRows(table, List.of(), RANDOM, where, READS, 1, Format::count, jdk);
        for (String depth : figures.fioDepths("random", cache)) {
            fioRow(table, List.of(), "random", cache, depth, FioResults.Job::iops, Format::count, jdk);
        }
        text.append(table.render()).append('\n');
    }

    private void directReads(String charts) {
        section("3. 4 KiB random reads, O_DIRECT", """
                1, 32 and 256 virtual threads read random 4 KiB blocks with `O_DIRECT`; fio at the same \
                iodepths. At concurrency 1 the mean latency is the inverse of the rate.""");
        MarkdownTable table = new MarkdownTable(2, "threads", "contender", "reads/s", "vs JDK", "CPU µs per read",
                "peak OS threads");
        for (String threads : figures.values(RANDOM, Figures.random("direct", null), "threads")) {
            Map<String, String> where = Figures.random("direct", threads);
            Spread jdk = figures.rate(RANDOM, where, Contenders.JDK, READS);
            contenderRows(table, List.of(threads), RANDOM, where, READS, 1, Format::count, jdk);
            fioRow(table, List.of(threads), "random", "direct", threads, FioResults.Job::iops, Format::count, jdk);
        }
        text.append(table.render()).append('\n');
        charts(charts, "direct", "O_DIRECT 4 KiB random reads");
    }

    private void sequentialReads() {
        section("4. Sequential 1 MiB reads, cold and O_DIRECT", """
                Virtual threads take the next 1 MiB block of the file from a shared cursor, so the reads in \
                flight are always the next ones (as fio's `rw=read` keeps its iodepth); cold runs drop the \
                file from the cache at each pass. The threads are the reads in flight, fio's iodepth.""");
        MarkdownTable table = new MarkdownTable(2, "cache", "contender", "bandwidth", "vs fio", "CPU µs per read",
                "peak OS threads");
        for (String cache : figures.values(SEQUENTIAL, Map.of(), "cache")) {
            Map<String, String> where = Map.of("cache", cache);
            double blockBytes = Double.parseDouble(figures.values(SEQUENTIAL, where, "blockBytes").getFirst());
            String depth = figures.values(SEQUENTIAL, where, "threads").getFirst();
            Spread fio = figures.fio("sequential", cache, depth, FioResults.Job::bytesPerSecond);
            contenderRows(table, List.of(cache), SEQUENTIAL, where, READS, blockBytes, Format::bandwidth, fio);
            fioRow(table, List.of(cache), "sequential", cache, depth, FioResults.Job::bytesPerSecond, Format::bandwidth, fio);
        }
        text.append(table.render()).append('\n');
    }

    private void writeAheadLog() {
        section("5. Write-ahead log", """
                256 virtual threads each append a 512-byte record to one file at the next free offset and call \
                `force(false)` (`fdatasync`) before the next; a record counts once its force has returned.""");
        MarkdownTable table = new MarkdownTable("contender", "durable records/s", "vs JDK", "CPU µs per record",
                "peak OS threads");
        contenderRows(table, List.of(), WAL, Map.of(), RECORDS, 1, Format::count,
                figures.rate(WAL, Map.of(), Contenders.JDK, RECORDS));
        text.append(table.render()).append('\n');
    }

    private void fairness() {
        section("6. Fairness", """
                Two CPU-bound virtual threads at a time (about 2 ms of arithmetic each, started anew for every \
                task) run beside 256 virtual threads doing `O_DIRECT` random reads through the contender, and alone.""");
        MarkdownTable table = new MarkdownTable("readers beside", "CPU tasks/s", "vs alone", "longest wait to start",
                "readers' reads/s", "peak OS threads");
        Spread alone = figures.rate(FAIRNESS, Map.of(), Contenders.ALONE, TASKS);
        List<Contender> rows = new ArrayList<>(List.of(Contenders.ALONE));
        rows.addAll(figures.contenders(FAIRNESS, Map.of()));
        for (Contender contender : rows) {
            Spread tasks = figures.rate(FAIRNESS, Map.of(), contender, TASKS);
            table.row(contender.label(), Format.count(tasks),
                    Format.ratio(tasks.ratioTo(alone)),
                    Format.millis(figures.total(FAIRNESS, Map.of(), contender, START_DELAY).median()),
                    contender == Contenders.ALONE ? Format.MISSING : Format.count(figures.rate(FAIRNESS, Map.of(), contender, READS)),
                    Format.whole(figures.total(FAIRNESS, Map.of(), contender, OS_THREADS).median()));
        }
        text.append(table.render()).append('\n');
    }

    private void scaling() {
        section("7. Scaling: cold 4 KiB random reads, 1 to 10,000 virtual threads", """
                Reads per second, and in parentheses the peak OS threads, at each concurrency; the charts under \
                Goals draw it.""");
        Map<String, String> cold = Figures.random("cold", null);
        List<Contender> contenders = figures.contenders(RANDOM, cold);
        String[] header = new String[contenders.size() + 1];
        header[0] = "threads";
        for (int column = 0; column < contenders.size(); column++) {
            header[column + 1] = contenders.get(column).label();
        }
        MarkdownTable table = new MarkdownTable(header);
        for (String threads : figures.values(RANDOM, cold, "threads")) {
            Map<String, String> where = Figures.random("cold", threads);
            String[] row = new String[header.length];
            row[0] = threads;
            for (int column = 0; column < contenders.size(); column++) {
                Contender contender = contenders.get(column);
                row[column + 1] = Format.count(figures.rate(RANDOM, where, contender, READS).median()) + " ("
                        + Format.whole(figures.total(RANDOM, where, contender, OS_THREADS).median()) + ")";
            }
            table.row(row);
        }
        text.append(table.render()).append('\n');
    }

    private void section(String title, String description) {
        text.append("## ").append(title).append("\n\n").append(description).append("\n\n");
    }

    /** The throughput and OS-thread charts of {@code name} (see {@link Charts}). */
    private void charts(String directory, String name, String reads) {
        text.append("![").append(reads).append(" per second against concurrency](").append(directory).append('/')
                .append(name).append("-throughput.svg)\n![OS threads against concurrency, ").append(reads).append("](")
                .append(directory).append('/').append(name).append("-threads.svg)\n\n");
    }

    /**
     * A row per contender: the {@code lead} cells, the rate of {@code metric} times {@code scale},
     * its ratio to {@code baseline}, the CPU time per operation and the peak OS threads.
     */
    private void contenderRows(MarkdownTable table, List<String> lead, String benchmark, Map<String, String> where,
                               String metric, double scale, Function<Spread, String> format, Spread baseline) {
        for (Contender contender : figures.contenders(benchmark, where)) {
            Spread rate = figures.rate(benchmark, where, contender, metric).times(scale);
            table.row(cells(lead, contender.label(), format.apply(rate), Format.ratio(rate.ratioTo(baseline)),
                    Format.micros(figures.total(benchmark, where, contender, CPU_PER_OP).median()),
                    Format.whole(figures.total(benchmark, where, contender, OS_THREADS).median())));
        }
    }

    /** fio's row beside them, if fio ran that job (it reports no thread count). */
    private void fioRow(MarkdownTable table, List<String> lead, String pattern, String cache, String depth,
                        ToDoubleFunction<FioResults.Job> rate, Function<Spread, String> format, Spread baseline) {
        Spread fio = figures.fio(pattern, cache, depth, rate);
        if (fio.measured()) {
            table.row(cells(lead, "fio io_uring, iodepth " + depth, format.apply(fio), Format.ratio(fio.ratioTo(baseline)),
                    Format.micros(figures.fio(pattern, cache, depth, FioResults.Job::cpuMicrosPerOp).median()),
                    Format.MISSING));
        }
    }

    private static String[] cells(List<String> lead, String... rest) {
        return Stream.concat(lead.stream(), Stream.of(rest)).toArray(String[]::new);
    }
}
