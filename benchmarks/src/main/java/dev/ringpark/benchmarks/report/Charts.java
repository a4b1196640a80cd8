package dev.ringpark.benchmarks.report;

import dev.ringpark.benchmarks.report.Contenders.Contender;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ringpark.benchmarks.report.Figures.OS_THREADS;
import static dev.ringpark.benchmarks.report.Figures.RANDOM;
import static dev.ringpark.benchmarks.report.Figures.READS;

/**
 * The run's charts: reads per second and peak OS threads against concurrency, one line per
 * contender (and fio's, dashed, where it ran at those depths), for cold reads (the scaling sweep)
 * and for {@code O_DIRECT} reads.
 */
final class Charts {
    private Charts() {
    }

    /**
     * Writes {@code scaling-throughput.svg} and {@code scaling-threads.svg} (cold reads), and
     * {@code direct-throughput.svg} and {@code direct-threads.svg}; a chart the run has no figure
     * for is deleted rather than left showing an older run.
     */
    static void write(Figures figures, Path directory) throws IOException {
        Files.createDirectories(directory);
        for (String cache : List.of("cold", "direct")) {
            String name = cache.equals("cold") ? "scaling" : "direct";
            String reads = cache.equals("cold") ? "cold 4 KiB random reads" : "O_DIRECT 4 KiB random reads";
            write(directory.resolve(name + "-throughput.svg"),
                    new SvgChart("Reads per second, " + reads, "virtual threads (log scale)", "reads per second", false),
                    lines(figures, cache, READS, true));
            write(directory.resolve(name + "-threads.svg"),
                    new SvgChart("Peak OS threads of the JVM, " + reads, "virtual threads (log scale)",
                            "peak OS threads (log scale)", true),
                    lines(figures, cache, OS_THREADS, false));
        }
    }

    private static void write(Path file, SvgChart chart, List<SvgChart.Line> lines) throws IOException {
        if (lines.stream().allMatch(line -> line.points().isEmpty())) {
            Files.deleteIfExists(file);
        } else {
            Files.writeString(file, chart.render(lines));
        }
    }

    private static List<SvgChart.Line> lines(Figures figures, String cache, String metric, boolean withFio) {
        Map<String, String> where = Figures.random(cache, null);
        List<SvgChart.Line> lines = new ArrayList<>();
        for (Contender contender : figures.contenders(RANDOM, where)) {
            List<SvgChart.Point> points = new ArrayList<>();
            for (String threads : figures.values(RANDOM, Contenders.with(where, contender.params()), "threads")) {
                Map<String, String> at = Figures.random(cache, threads);
                Spread figure = metric.equals(READS)
                        ? figures.rate(RANDOM, at, contender, metric)
                        : figures.total(RANDOM, at, contender, metric);
                if (figure.measured()) {
                    points.add(new SvgChart.Point(Double.parseDouble(threads), figure.median()));
                }
            }
            lines.add(new SvgChart.Line(contender.label(), contender.color(), false, points));
        }
        if (withFio) {
            List<SvgChart.Point> points = new ArrayList<>();
            for (String depth : figures.fioDepths("random", cache)) {
                points.add(new SvgChart.Point(Double.parseDouble(depth),
                        figures.fio("random", cache, depth, FioResults.Job::iops).median()));
            }
            lines.add(new SvgChart.Line("fio io_uring (iodepth)", Contenders.FIO_COLOR, true, points));
        }
        return lines;
    }
}
