package dev.ringpark.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the example small: the files finish, the stalled pipes end at the deadline, a failure cancels the rest. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReadUnderDeadlineTest {
    @TempDir
    Path tmp;

    @Test
    void filesFinishAndStalledPipesEndAtTheDeadline() throws Exception {
        try (ReadUnderDeadline.DemoFiles demo = ReadUnderDeadline.DemoFiles.create(8, 256 * 1024, 2)) {
            Duration deadline = Duration.ofMillis(500);
            ReadUnderDeadline.Report report = ReadUnderDeadline.read(demo.all(), deadline);
            String printed = print(report);
            assertAll(printed,
                    () -> assertEquals(8, report.count(ReadUnderDeadline.Status.FINISHED), "files read whole"),
                    () -> assertTrue(report.count(ReadUnderDeadline.Status.TIMED_OUT) >= 1, "a pipe timed out"),
                    () -> assertEquals(2, report.count(ReadUnderDeadline.Status.TIMED_OUT)
                            + report.count(ReadUnderDeadline.Status.CANCELLED), "both pipes ended"),
                    () -> assertTrue(report.cancelledAtMillis() >= deadline.toMillis() - 1, "cancelled before the "
                            + "deadline"),
                    () -> assertTrue(report.cancellationMillis() < 3_000, "the cancellation took "
                            + report.cancellationMillis() + " ms"),
                    () -> assertTrue(printed.contains("every subtask done"), printed));
            for (ReadUnderDeadline.FileOutcome file : report.files()) {
                if (file.status() == ReadUnderDeadline.Status.FINISHED) {
                    assertEquals(256 * 1024, file.bytes(), file.toString());
                }
            }
        }
    }

    @Test
    void theFirstFailureCancelsTheOthersLongBeforeTheDeadline() throws Exception {
        try (ReadUnderDeadline.DemoFiles demo = ReadUnderDeadline.DemoFiles.create(0, 0, 3)) {
            List<Path> files = new ArrayList<>(demo.all());
            Path missing = tmp.resolve("missing.bin");
            files.add(missing);
            long start = System.nanoTime();
            ReadUnderDeadline.Report report = ReadUnderDeadline.read(files, Duration.ofSeconds(30));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            String printed = print(report);
            assertAll(printed,
                    () -> assertEquals(1, report.count(ReadUnderDeadline.Status.FAILED), "the missing file"),
                    () -> assertEquals(3, report.count(ReadUnderDeadline.Status.CANCELLED)
                            + report.count(ReadUnderDeadline.Status.NOT_STARTED), "the pipes, cancelled"),
                    () -> assertTrue(tookMillis < 10_000, "the run took " + tookMillis + " ms"),
                    () -> assertTrue(report.cancellationMillis() < 3_000, "the cancellation took "
                            + report.cancellationMillis() + " ms"));
            assertTrue(Files.notExists(missing));
        }
    }

    private static String print(ReadUnderDeadline.Report report) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ReadUnderDeadline.print(report, new PrintStream(text, true, StandardCharsets.UTF_8));
        return text.toString(StandardCharsets.UTF_8);
    }
}
