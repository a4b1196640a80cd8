package dev.ringpark.examples;

import dev.ringpark.RingFileChannel;
import dev.ringpark.RingOpenOption;
import dev.ringpark.Ringpark;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads many files at once, one subtask of a {@link StructuredTaskScope} per file, all under one
 * deadline; the first failure (a missing file, a read past the deadline) cancels the rest. Prints
 * what finished, what timed out, what was cancelled, and how long it took from the cancellation to
 * every subtask done.
 *
 * <p>Each file's reads take what is left of the deadline ({@link RingFileChannel#read(ByteBuffer,
 * Duration)}): a read that cannot finish in time ends with {@link InterruptedByTimeoutException},
 * which fails its subtask and cancels the scope. The channels are opened with
 * {@link RingOpenOption#INTERRUPT_CANCELS_CALL}, so the scope's cancellation, which interrupts the
 * other subtasks, cancels their calls in flight ({@link InterruptedIOException}) instead of leaving
 * them to block. The scope's own timeout is the same deadline, a backstop for a subtask doing
 * anything else. {@code StructuredTaskScope} is a preview API in JDK 25: run with
 * {@code --enable-preview}.
 *
 * <pre>{@code
 * java --enable-preview -cp examples/target/ringpark-examples.jar dev.ringpark.examples.ReadUnderDeadline \
 *     [deadline-ms [file...]]
 * }</pre>
 * With no files it makes a demonstration set in a temporary directory: 32 files of 4 MiB, which
 * finish in time, and 4 named pipes whose writers never write, standing for files on a server that
 * stopped answering: their reads time out at the deadline (default 500 ms).
 */
public final class ReadUnderDeadline {
    /** How long a demonstration run may take, by default. */
    static final Duration DEFAULT_DEADLINE = Duration.ofMillis(500);
    private static final int CHUNK_BYTES = 256 * 1024;

    private ReadUnderDeadline() {
    }

    /** What became of one file. */
    enum Status {
        /** Read whole before the deadline. */
        FINISHED,
        /** A read was still waiting at the deadline. */
        TIMED_OUT,
        /** The scope was cancelled (another file failed, or the deadline passed) while it read. */
        CANCELLED,
        /** It failed otherwise: a missing file, say. */
        FAILED,
        /** The scope was cancelled before its subtask started. */
        NOT_STARTED
    }

    /** One file's outcome: its status, the bytes read, when it ended (ms after the start), and why. */
    record FileOutcome(Path file, Status status, long bytes, long endedAtMillis, String detail) {
    }

    /**
     * A run's outcome: each file's, when the scope was cancelled (ms after the start; -1 if it never
     * was), and when the scope had every subtask done.
     */
    record Report(List<FileOutcome> files, long cancelledAtMillis, long allDoneAtMillis) {
        /** How long it took from the cancellation to every subtask done, or -1 without a cancellation. */
        long cancellationMillis() {
            return cancelledAtMillis < 0 ? -1 : Math.max(allDoneAtMillis - cancelledAtMillis, 0);
        }

        long count(Status status) {
            return files.stream().filter(file -> file.status() == status).count();
        }
    }

    public static void main(String[] args) throws Exception {
        Duration deadline = args.length > 0 ? Duration.ofMillis(Long.parseLong(args[0])) : DEFAULT_DEADLINE;
        List<Path> files = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            files.add(Path.of(args[i]));
        }
        System.out.println("Ringpark driver: " + Ringpark.driver());
        if (!files.isEmpty()) {
            print(read(files, deadline), System.out);
            return;
        }
        try (DemoFiles demo = DemoFiles.create(32, 4 << 20, 4)) {
            print(read(demo.all(), deadline), System.out);
        }
    }

    /**
     * Reads every file under {@code deadline}, from now, one subtask per file; the first failure
     * cancels the others.
     */
    static Report read(List<Path> files, Duration deadline) throws InterruptedException {
        long start = System.nanoTime();
        long deadlineNanos = start + deadline.toNanos();
        Map<Path, FileOutcome> outcomes = new ConcurrentHashMap<>();
        AtomicLong cancelledAt = new AtomicLong(-1);
        try (var scope = StructuredTaskScope.open(Joiner.<Long>awaitAllSuccessfulOrThrow(),
                configuration -> configuration.withTimeout(deadline))) {
            for (Path file : files) {
                scope.fork(() -> readWhole(file, start, deadlineNanos, outcomes, cancelledAt));
            }
            scope.join();
        } catch (StructuredTaskScope.FailedException | StructuredTaskScope.TimeoutException cancelled) {
            // The first failure, or the deadline, cancelled the scope; close() waited for every subtask.
            cancelledAt.compareAndSet(-1, millisSince(start, deadlineNanos));
        }
        long allDone = millisSince(start, System.nanoTime());
        List<FileOutcome> report = new ArrayList<>();
        for (Path file : files) {
            report.add(outcomes.getOrDefault(file, new FileOutcome(file, Status.NOT_STARTED, 0, allDone,
                    "the scope was cancelled before it started")));
        }
        return new Report(report, cancelledAt.get(), allDone);
    }

    /** One subtask: reads {@code file} whole, each read bounded by what is left of the deadline. */
    private static long readWhole(Path file, long start, long deadlineNanos, Map<Path, FileOutcome> outcomes,
                                  AtomicLong cancelledAt) throws IOException {
        long bytes = 0;
        try (RingFileChannel channel = RingFileChannel.open(file, StandardOpenOption.READ,
                RingOpenOption.INTERRUPT_CANCELS_CALL)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK_BYTES);
            for (;;) {
                Duration left = Duration.ofNanos(deadlineNanos - System.nanoTime());
                int n = channel.read(buffer.clear(), left);
                if (n < 0) {
                    break;
                }
                bytes += n;
            }
            outcomes.put(file, new FileOutcome(file, Status.FINISHED, bytes, millisSince(start, System.nanoTime()),
                    ""));
            return bytes;
        } catch (InterruptedByTimeoutException e) {
            long now = millisSince(start, System.nanoTime());
            cancelledAt.compareAndSet(-1, now); // this failure cancels the scope
            outcomes.put(file, new FileOutcome(file, Status.TIMED_OUT, bytes, now, "a read was still waiting"));
            throw e;
        } catch (InterruptedIOException e) {
            outcomes.put(file, new FileOutcome(file, Status.CANCELLED, bytes, millisSince(start, System.nanoTime()),
                    "the scope was cancelled"));
            throw e;
        } catch (IOException | RuntimeException e) {
            long now = millisSince(start, System.nanoTime());
            cancelledAt.compareAndSet(-1, now);
            outcomes.put(file, new FileOutcome(file, Status.FAILED, bytes, now, e.toString()));
            throw e;
        }
    }

    private static long millisSince(long startNanos, long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos - startNanos);
    }

    static void print(Report report, PrintStream out) {
        for (FileOutcome file : report.files()) {
            out.printf("%-11s %10d bytes  at %5d ms  %s %s%n", file.status(), file.bytes(), file.endedAtMillis(),
                    file.file().getFileName(), file.detail());
        }
        out.printf("finished %d, timed out %d, cancelled %d, failed %d, not started %d%n",
                report.count(Status.FINISHED), report.count(Status.TIMED_OUT), report.count(Status.CANCELLED),
                report.count(Status.FAILED), report.count(Status.NOT_STARTED));
        if (report.cancelledAtMillis() < 0) {
            out.printf("no cancellation: every file finished in %d ms%n", report.allDoneAtMillis());
        } else {
            out.printf("cancelled at %d ms; every subtask done %d ms later%n", report.cancelledAtMillis(),
                    report.cancellationMillis());
        }
    }

    /**
     * The demonstration set: files that finish, and named pipes, held open for writing by a process
     * that never writes, whose reads wait until their deadline. Deleted on close.
     */
    record DemoFiles(Path directory, List<Path> regular, List<Path> pipes, Process writer) implements AutoCloseable {
        static DemoFiles create(int files, int fileBytes, int pipeCount) throws IOException, InterruptedException {
            Path directory = Files.createTempDirectory("ringpark-deadline-");
            List<Path> regular = new ArrayList<>();
            byte[] content = new byte[fileBytes];
            for (int i = 0; i < files; i++) {
                regular.add(Files.write(directory.resolve("file-" + i + ".bin"), content));
            }
            List<Path> pipes = new ArrayList<>();
            List<String> mkfifo = new ArrayList<>(List.of("mkfifo"));
            for (int i = 0; i < pipeCount; i++) {
                Path pipe = directory.resolve("stalled-" + i + ".fifo");
                pipes.add(pipe);
                mkfifo.add(pipe.toString());
            }
            run(mkfifo);
            // One process holds every pipe open for writing and never writes: their readers wait for data.
            StringBuilder holdOpen = new StringBuilder("exec");
            for (int i = 0; i < pipes.size(); i++) {
                holdOpen.append(' ').append(i + 3).append("<>'").append(pipes.get(i)).append('\'');
            }
            holdOpen.append(" sleep 3600");
            Process writer = new ProcessBuilder("sh", "-c", holdOpen.toString()).start();
            return new DemoFiles(directory, regular, pipes, writer);
        }

        List<Path> all() {
            List<Path> all = new ArrayList<>(regular);
            all.addAll(pipes);
            return all;
        }

        private static void run(List<String> command) throws IOException, InterruptedException {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException(command.getFirst() + " failed: "
                        + new String(process.getInputStream().readAllBytes()));
            }
        }

        @Override
        public void close() throws IOException {
            writer.destroyForcibly();
            try (var entries = Files.list(directory)) {
                for (Path entry : entries.toList()) {
                    Files.deleteIfExists(entry);
                }
            }
            Files.deleteIfExists(directory);
        }
    }
}
