package dev.ringpark.benchmarks;

import dev.ringpark.RingFileChannel;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static java.nio.file.StandardOpenOption.READ;

/**
 * Opening and closing: {@code threads} virtual threads each open a small cached file, read its
 * {@value #FILE_BYTES} bytes and close it, without pause, as a server that opens a file per
 * request does. Not among the goals of {@code docs/BENCHMARKS.md}; it measures what every other
 * benchmark leaves out of its timing.
 *
 * <p>Only {@code jdk} and {@code ringpark} take part: the {@code pool} and {@code async}
 * contenders would build a thread pool per open. Secondary results:
 * {@code openReadClose:files} (files per second), {@code cpuMicrosPerOp} and {@code peakOsThreads}.
 *
 * <h2>How to run</h2>
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar OpenCloseBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 1, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1) // the JMH thread only watches; the virtual threads are the concurrency
@State(Scope.Benchmark)
public class OpenCloseBenchmark {
    /** The bytes of the file each caller opens and reads. */
    static final int FILE_BYTES = 4096;

    /** Who opens, reads and closes: {@code jdk} or {@code ringpark}. */
    @Param({"jdk", "ringpark"})
    public String contender;

    /** Ringpark's driver: {@code io_uring}, {@code aio} or {@code threads}. */
    @Param("io_uring")
    public String driver;

    /** The virtual threads opening at once. */
    @Param("16")
    public int threads;

    private Path file;
    private boolean viaRingpark;
    private Arena bufferMemory;
    private ByteBuffer[] buffers;
    private Load openers;

    /** Reports, as the secondary result {@code files}, the files opened, read and closed per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class FileCounter {
        /** Files opened, read and closed in this iteration so far. */
        public long files;
    }

    /** Writes the file (so that it is cached) and, for Ringpark, checks the driver once. */
    @Setup(Level.Trial)
    public void createFile() throws IOException {
        Contender chosen = Contender.named(contender);
        if (chosen != Contender.JDK && chosen != Contender.RINGPARK) {
            throw new IllegalArgumentException("contender must be jdk or ringpark, was: " + contender);
        }
        viaRingpark = chosen == Contender.RINGPARK;
        file = BenchmarkFile.createEmpty("ringpark-open-");
        Files.write(file, new byte[FILE_BYTES]);
        chosen.open(file, threads, driver, READ).close();
        bufferMemory = Arena.ofShared();
        buffers = new ByteBuffer[threads];
        for (int caller = 0; caller < threads; caller++) {
            buffers[caller] = bufferMemory.allocate(FILE_BYTES).asByteBuffer();
        }
    }

    /** Starts the openers, right before the iteration. */
    @Setup(Level.Iteration)
    public void startOpeners() {
        openers = Load.start(threads, this::openReadClose);
    }

    /** Takes the files done over one sample period. */
    @Benchmark
    public void openReadClose(FileCounter counter, ResourceUse resources) throws IOException, InterruptedException {
        Load.Progress progress = openers.awaitProgress();
        counter.files += progress.operations();
        resources.add(progress);
    }

    /** Stops the openers after the iteration. */
    @TearDown(Level.Iteration)
    public void stopOpeners() throws IOException, InterruptedException {
        openers.stop();
    }

    /** Frees the buffers and deletes the file. */
    @TearDown(Level.Trial)
    public void deleteFile() throws IOException {
        bufferMemory.close();
        Files.deleteIfExists(file);
    }

    private void openReadClose(int caller) throws IOException {
        ByteBuffer buffer = buffers[caller].clear();
        try (FileChannel channel = viaRingpark ? RingFileChannel.open(file, READ) : FileChannel.open(file, READ)) {
            while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
                // read the whole file
            }
        }
        if (buffer.position() != FILE_BYTES) {
            throw new IOException("read " + buffer.position() + " of " + FILE_BYTES + " bytes");
        }
    }
}
