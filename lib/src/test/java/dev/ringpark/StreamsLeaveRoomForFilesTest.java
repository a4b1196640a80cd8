package dev.ringpark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * More FIFO reads parked at once than Ringpark's pool has threads, and then a file written, forced
 * and read: the file's calls must run. On the pool drivers they once queued behind the parked reads,
 * which held every pool thread, and never ran (a process could not even write its file at exit).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamsLeaveRoomForFilesTest {
    @TempDir
    Path tmp;

    @Test
    void aFileIsWrittenForcedAndReadWhileMoreFifoReadsWaitThanThePoolHasThreads() throws Exception {
        int waiting = Ringpark.threads() + 8;
        List<Path> fifos = Fifos.make(IntStream.range(0, waiting).mapToObj(i -> tmp.resolve("fifo" + i)).toList());
        List<FileOutputStream> writers = new ArrayList<>();
        List<RingFileChannel> readers = new ArrayList<>();
        List<Thread> reading = new ArrayList<>();
        try (ExecutorService opener = Executors.newSingleThreadExecutor()) {
            for (Path fifo : fifos) {
                Future<FileOutputStream> writer = opener.submit(() -> new FileOutputStream(fifo.toFile()));
                readers.add(RingFileChannel.open(fifo, READ));
                writers.add(writer.get(10, TimeUnit.SECONDS));
            }
        }
        try {
            List<CompletableFuture<Integer>> reads = new ArrayList<>();
            for (RingFileChannel reader : readers) {
                CompletableFuture<Integer> read = new CompletableFuture<>();
                reads.add(read);
                reading.add(Thread.ofVirtual().start(() -> {
                    try {
                        read.complete(reader.read(ByteBuffer.allocate(1)));
                    } catch (Exception e) {
                        read.completeExceptionally(e);
                    }
                }));
            }
            for (Thread reader : reading) {
                VirtualThreads.awaitParked(reader, 10_000);
            }
            Path file = tmp.resolve("file");
            int read = VirtualThreads.call(() -> {
                try (RingFileChannel channel = RingFileChannel.open(file, CREATE, READ, WRITE)) {
                    channel.write(ByteBuffer.wrap(Bytes.pattern(5, 4096)), 0);
                    channel.force(true);
                    return channel.read(ByteBuffer.allocate(4096), 0);
                }
            });
            assertEquals(4096, read, "the file's calls ran while the FIFO reads waited");
            for (FileOutputStream writer : writers) {
                writer.write(1);
                writer.flush();
            }
            for (CompletableFuture<Integer> each : reads) {
                assertEquals(1, each.get(10, TimeUnit.SECONDS));
            }
        } finally {
            for (FileOutputStream writer : writers) {
                writer.close();
            }
            for (RingFileChannel reader : readers) {
                reader.close();
            }
        }
    }
}
