package dev.ringpark.benchmarks;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static java.nio.file.StandardOpenOption.WRITE;

/**
 * A write-ahead log (workload 5 of {@code docs/BENCHMARKS.md}): many virtual threads each append a
 * record to one file and make it durable before appending the next, as a database's committing
 * transactions do.
 *
 * <h2>What it measures</h2>
 * {@code threads} virtual threads each, without pause: reserve the next {@code recordBytes} of the
 * log (one shared counter), write the record there, and call {@code force(false)}
 * ({@code fdatasync}). A record counts once its force has returned. The log starts empty in the
 * working directory (which must be on a disk) and grows; it is deleted after the trial. Secondary
 * results: {@code appendAndForce:records} (durable records per second), {@code cpuMicrosPerOp}
 * (per record) and {@code peakOsThreads}. The file system may commit many concurrent
 * {@code fdatasync}s at once, so the figure depends on how many forces each contender keeps in flight.
 *
 * <h2>How to run</h2>
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar WriteAheadLogBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 1, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Threads(1) // the JMH thread only watches; the virtual threads are the concurrency
@State(Scope.Benchmark)
public class WriteAheadLogBenchmark {
    /** How the writes and forces are made: {@code jdk}, {@code pool}, {@code async} or {@code ringpark}. */
    @Param({"jdk", "pool", "async", "ringpark"})
    public String contender;

    /** Ringpark's driver: {@code io_uring}, {@code aio} or {@code threads}. */
    @Param("io_uring")
    public String driver;

    /** The virtual threads appending at once. */
    @Param("256")
    public int threads;

    /** The bytes of each record. */
    @Param("512")
    public int recordBytes;

    private Path log;
    private BlockingFile channel;
    private Arena recordMemory;
    private ByteBuffer[] records;
    private final AtomicLong logEnd = new AtomicLong();
    private Load writers;

    /** Reports, as the secondary result {@code records}, the records made durable per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class RecordCounter {
        /** Records made durable in this iteration so far. */
        public long records;
    }

    /** Creates the empty log, opens it through the contender and fills each writer's record. */
    @Setup(Level.Trial)
    public void open() throws IOException {
        log = BenchmarkFile.createEmpty("ringpark-wal-");
        channel = Contender.named(contender).open(log, threads, driver, WRITE);
        recordMemory = Arena.ofShared();
        records = new ByteBuffer[threads];
        for (int writer = 0; writer < threads; writer++) {
            records[writer] = recordMemory.allocate(recordBytes).fill((byte) writer).asByteBuffer();
        }
    }

    /** Starts the writers, right before the iteration. */
    @Setup(Level.Iteration)
    public void startWriters() {
        writers = Load.start(threads, this::appendRecord);
    }

    /** Takes the records made durable over one sample period. */
    @Benchmark
    public void appendAndForce(RecordCounter counter, ResourceUse resources) throws IOException, InterruptedException {
        Load.Progress progress = writers.awaitProgress();
        counter.records += progress.operations();
        resources.add(progress);
    }

    /** Stops the writers after the iteration. */
    @TearDown(Level.Iteration)
    public void stopWriters() throws IOException, InterruptedException {
        writers.stop();
    }

    /** Closes the log, frees the records and deletes the log. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            recordMemory.close();
            Files.deleteIfExists(log);
        }
    }

    private void appendRecord(int writer) throws IOException {
        ByteBuffer record = records[writer].clear();
        long position = logEnd.getAndAdd(recordBytes);
        while (record.hasRemaining()) {
            position += channel.write(record, position);
        }
        channel.forceData();
    }
}
