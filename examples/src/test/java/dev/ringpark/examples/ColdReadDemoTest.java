package dev.ringpark.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the demo small and fast, so that it cannot stop working unnoticed. */
class ColdReadDemoTest {

    @Test
    void bothChannelsReadTheColdFileAndReportTheirDriver() throws Exception {
        ColdReadDemo.Settings tiny = new ColdReadDemo.Settings(8, Duration.ofSeconds(1), 8);
        PrintStream progress = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        ColdReadDemo.Comparison comparison = ColdReadDemo.compare(tiny, progress);

        assertAll(
                () -> assertTrue(comparison.jdk().result().reads() > 0, "FileChannel made no reads"),
                () -> assertTrue(comparison.ringpark().result().reads() > 0, "RingFileChannel made no reads"),
                () -> assertTrue(comparison.jdk().result().peakOsThreads() > 0, "no OS thread counted"),
                () -> assertTrue(comparison.ringpark().result().peakOsThreads() > 0, "no OS thread counted"),
                () -> assertFalse(comparison.ringpark().driver().isBlank(), "Ringpark named no driver"));
    }

    @Test
    void argumentsOverrideTheDefaultsInOrder() {
        ColdReadDemo.Settings settings = ColdReadDemo.Settings.fromArguments("16", "2");

        assertAll(
                () -> assertEquals(16, settings.threads()),
                () -> assertEquals(Duration.ofSeconds(2), settings.duration()),
                () -> assertEquals(ColdReadDemo.Settings.DEFAULT.fileSizeMiB(), settings.fileSizeMiB()));
    }
}
