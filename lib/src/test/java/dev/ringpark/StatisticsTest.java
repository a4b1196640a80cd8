package dev.ringpark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Ringpark#statistics()} and its MBean count what the calls did, where they did it. */
class StatisticsTest {
    @TempDir
    Path directory;

    @Test
    void eachCallCountsWhereItRan() throws Exception {
        Path file = Files.write(directory.resolve("data"), Bytes.pattern(1, 8192));
        Files.readAllBytes(file);
        RingparkStatistics before = VirtualThreads.call(() -> {
            Ringpark.driver(); // the poller runs
            return Ringpark.statistics();
        });
        VirtualThreads.call(() -> {
            try (RingFileChannel reader = RingFileChannel.open(file, READ)) {
                assertEquals(4096, reader.read(ByteBuffer.allocateDirect(4096), 0)); // from the page cache
                assertEquals(8192, reader.size());
            }
            try (RingFileChannel writer = RingFileChannel.open(file, READ, WRITE)) {
                assertEquals(100, writer.write(ByteBuffer.wrap(new byte[100]), 0));
                writer.force(true);
                writer.advise(0, 0, RingFileChannel.Advice.DONT_NEED);
                assertEquals(4096, writer.read(ByteBuffer.allocateDirect(4096), 4096)); // from the disk
            }
            return null;
        });
        RingparkStatistics after = Ringpark.statistics();
        String both = before + "\n" + after;
        assertTrue(after.cachedReads() > before.cachedReads(), both);
        assertTrue(after.completed().get("write") > before.completed().get("write"), both);
        assertTrue(after.completed().get("sync") > before.completed().get("sync"), both);
        assertTrue(after.completed().get("advise") > before.completed().get("advise"), both);
        assertTrue(after.bytesWritten() >= before.bytesWritten() + 100, both);
        assertTrue(after.kernelSubmissions() > before.kernelSubmissions(), both);
        assertTrue(after.buffersLent() > before.buffersLent(), both);
        assertTrue(after.operations() > before.operations(), both);
        assertTrue(after.pollerSleeps() > 0 && after.inFlightHighWater() > 0, both);
        if (after.driver().equals("io_uring")) {
            assertTrue(after.kernelCalls() > before.kernelCalls() && after.submissionsPerKernelCall() > 0, both);
            assertTrue(after.callerOpens() > before.callerOpens(), "a cached read-only open: " + both);
            assertTrue(after.callerCloses() > before.callerCloses(), "an idle read-only close: " + both);
            assertTrue(after.callerSizes() > before.callerSizes(), "size of a local file: " + both);
        }
    }

    @Test
    void theMBeanShowsTheSameFigures() throws Exception {
        VirtualThreads.call(Ringpark::driver);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(Ringpark.MXBEAN_NAME);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!server.isRegistered(name)) { // registered on a thread of its own once the poller runs
            assertTrue(System.nanoTime() < deadline, Ringpark.MXBEAN_NAME + " was not registered");
            Thread.onSpinWait();
        }
        assertEquals(Ringpark.statistics().driver(), server.getAttribute(name, "driver"));
        long read = (Long) server.getAttribute(name, "completedRead");
        assertTrue(read <= Ringpark.statistics().completed().get("read"));
        assertTrue((Double) server.getAttribute(name, "submissionsPerKernelCall") >= 0);
    }
}
