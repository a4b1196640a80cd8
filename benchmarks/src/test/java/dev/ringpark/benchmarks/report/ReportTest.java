package dev.ringpark.benchmarks.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The record written from a fixture run: two contenders, three workloads, one fio job. */
class ReportTest {
    private static final String PROSE_BEFORE = "# Benchmarks\n\nHow to run.\n\n";
    private static final String PROSE_AFTER = "\n\n## Why goals are missed\n\nHand-written.\n";

    @TempDir
    Path directory;

    @Test
    void rewritesOnlyTheGeneratedPartAndDrawsTheCharts() throws IOException {
        String page = writeReport();
        assertTrue(page.startsWith(PROSE_BEFORE + Report.BEGIN), page);
        assertTrue(page.endsWith(Report.END + PROSE_AFTER), page);
        assertTrue(page.contains("**a fixture, not a measurement**"), page);
        String chart = Files.readString(directory.resolve("charts/scaling-throughput.svg"));
        assertEquals(3, chart.split("<polyline").length - 1, "JDK, Ringpark and fio");
        assertTrue(Files.exists(directory.resolve("charts/direct-threads.svg")));
    }

    @Test
    void checksEachGoalAgainstTheRatioItNames() throws IOException {
        String page = writeReport();
        assertTrue(page.contains("| 2 | cold, 256 threads: ≥ 3.3x the JDK | 5.00x: 100k vs 20.0k reads/s | met |"), page);
        assertTrue(page.contains("≥ 0.9x fio io_uring at iodepth 32 | 1.25x: 100k vs 80.0k reads/s | met |"), page);
        assertTrue(page.contains("| 3 | O_DIRECT, 256 threads: ≥ 1.0x the JDK | 0.90x: 117k vs 130k reads/s | **missed** by 10% |"),
                page);
        assertTrue(page.contains("| 3 | O_DIRECT, 256 threads: ≤ 24 OS threads | 26 (JDK: 278) | **missed** by 2 threads |"), page);
        assertTrue(page.contains("| 1 | 4 KiB random reads, hot, 256 threads: Ringpark ≥ 1.0x the JDK | – vs – reads/s | not measured |"),
                page);
    }

    @Test
    void tablesGiveMedianRangeRatioCpuAndThreads() throws IOException {
        String page = writeReport();
        assertTrue(page.contains("| Ringpark (io_uring) | 100k (90.0k–110k) | 5.00x | 7.5 | 26 |"), page);
        assertTrue(page.contains("| JDK FileChannel, virtual threads | 20.0k (19.0k–21.0k) | 1.00x | – | 24 |"), page);
        // fio: 50% of 3 s of CPU over 240,000 reads
        assertTrue(page.contains("| fio io_uring, iodepth 32 | 80.0k | 4.00x | 6.3 | – |"), page);
        assertTrue(page.contains("| 1 | 12.0k (23) | 11.0k (26) |"), page);
    }

    @Test
    void refusesAPageWithoutTheMarkers() {
        assertThrows(IllegalArgumentException.class, () -> Report.splice("# no markers\n", "generated"));
    }

    private String writeReport() throws IOException {
        Path results = Files.createDirectories(directory.resolve("results"));
        for (String name : new String[] {"jmh-random-r1.json", "fio-random-cold-32-r1.json", "run.properties"}) {
            try (InputStream fixture = getClass().getResourceAsStream("/report/" + name)) {
                Files.copy(fixture, results.resolve(name));
            }
        }
        Path page = directory.resolve("BENCHMARKS.md");
        Files.writeString(page, PROSE_BEFORE + Report.BEGIN + "\nold figures\n" + Report.END + PROSE_AFTER);
        Report.main(new String[] {results.toString(), page.toString(), directory.resolve("charts").toString()});
        return Files.readString(page);
    }
}
