package dev.ringpark.examples;

import dev.ringpark.RingFileChannel;
import dev.ringpark.DriverReport;
import dev.ringpark.Ringpark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static java.nio.file.StandardOpenOption.READ;

/**
 * Reads a file that is not in the page cache at random, 4 KiB at a time, from a few hundred virtual
 * threads: first through the JDK's {@link FileChannel}, then through Ringpark's
 * {@link RingFileChannel}. Prints, for each, the reads per second, the peak number of OS threads of
 * the JVM and the driver that did the I/O, then how many times faster Ringpark was.
 *
 * <p>Run it with {@code ./dev demo}, or after a build with
 * <pre>{@code java -jar examples/target/ringpark-examples.jar [threads [seconds [fileSizeMiB]]]}</pre>
 * (defaults: 256 virtual threads, 8 seconds per channel, a 256 MiB file). The file is created in a
 * disk-backed temporary directory and deleted at the end.
 *
 * <p>What it shows: a virtual thread reading through {@code FileChannel} holds its carrier thread for
 * the whole {@code pread}, and there are only as many carriers as cores, so only that many reads are
 * ever in flight. {@code RingFileChannel} parks the virtual thread and hands the read to io_uring, so
 * all of them are in flight at once, on the same handful of OS threads.
 */
public final class ColdReadDemo {
    static final String JDK_DRIVER = "JDK FileChannel (pread on the carrier)";
    private static final long BYTES_PER_MIB = 1L << 20;

    /** The demo's knobs, from the command line. */
    record Settings(int threads, Duration duration, int fileSizeMiB) {
        static final Settings DEFAULT = new Settings(256, Duration.ofSeconds(8), 256);

        Settings {
            if (threads < 1 || duration.isNegative() || duration.isZero() || fileSizeMiB < 1) {
                throw new IllegalArgumentException("threads, seconds and fileSizeMiB must all be positive");
            }
        }

        /** {@code [threads [seconds [fileSizeMiB]]]}; what is left out keeps its default. */
        static Settings fromArguments(String... args) {
            return new Settings(
                    args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT.threads,
                    args.length > 1 ? Duration.ofSeconds(Long.parseLong(args[1])) : DEFAULT.duration,
                    args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT.fileSizeMiB);
        }
    }

    /** How one channel did, and which driver did its I/O. */
    record Contender(String channel, String driver, ColdRandomReads.Result result) {
    }

    /** Both channels' results, and why Ringpark skipped the drivers above the one it ran on. */
    record Comparison(Contender jdk, Contender ringpark, List<String> skippedDrivers) {
        double speedup() {
            return ringpark.result().readsPerSecond() / jdk.result().readsPerSecond();
        }
    }

    private ColdReadDemo() {
    }

    /**
     * Runs the demo and prints its results.
     *
     * @param args {@code [threads [seconds [fileSizeMiB]]]}, all optional
     * @throws IOException if the file cannot be created, read or deleted, or Ringpark cannot run here
     * @throws InterruptedException if the main thread is interrupted while the readers run
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        Settings settings;
        try {
            settings = Settings.fromArguments(args);
        } catch (IllegalArgumentException e) {
            System.err.println("usage: java -jar ringpark-examples.jar [threads [seconds [fileSizeMiB]]]: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.printf("%d virtual threads read a %d MiB file at random, 4 KiB at a time, for %d s per channel,%n"
                        + "with the file kept out of the page cache.%n%n",
                settings.threads(), settings.fileSizeMiB(), settings.duration().toSeconds());
        print(compare(settings, System.out), System.out);
    }

    /** Runs the demo on a new file, telling {@code progress} what it does; deletes the file. */
    static Comparison compare(Settings settings, PrintStream progress) throws IOException, InterruptedException {
        Path file = ScratchFile.create(settings.fileSizeMiB() * BYTES_PER_MIB);
        try {
            progress.println("Reading " + file + " through FileChannel ...");
            ColdRandomReads.Result jdk = ColdRandomReads.run(file, path -> FileChannel.open(path, READ),
                    settings.threads(), settings.duration());
            progress.println("Reading " + file + " through RingFileChannel ...");
            ColdRandomReads.Result ringpark = ColdRandomReads.run(file, path -> RingFileChannel.open(path, READ),
                    settings.threads(), settings.duration());
            DriverReport driver = Ringpark.driver();
            return new Comparison(new Contender("FileChannel", JDK_DRIVER, jdk),
                    new Contender("RingFileChannel", driver.driver() + " (" + driver.setup() + ")", ringpark),
                    driver.skipped());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void print(Comparison comparison, PrintStream out) {
        String row = "%-16s %10s %16s   %s%n";
        out.println();
        out.printf(row, "channel", "reads/s", "peak OS threads", "driver");
        for (Contender contender : new Contender[] {comparison.jdk(), comparison.ringpark()}) {
            ColdRandomReads.Result result = contender.result();
            out.printf(row, contender.channel(), String.format("%,.0f", result.readsPerSecond()),
                    result.peakOsThreads(), contender.driver());
        }
        out.printf("%nRingFileChannel made %.1fx the reads per second of FileChannel.%n", comparison.speedup());
        comparison.skippedDrivers().forEach(reason -> out.println("Ringpark skipped " + reason));
    }
}
