package dev.ringpark.poller.uring;

import dev.ringpark.poller.Errno;
import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.FileSystemTraits;
import dev.ringpark.poller.FileType;
import dev.ringpark.poller.Operation;
import dev.ringpark.poller.ThisMachine;
import dev.ringpark.poller.Transfer;
import dev.ringpark.poller.ladder.DriverLadder;
import dev.ringpark.poller.linux.LibC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The io_uring driver alone, driven from the test thread (which creates the ring, as the poller
 * thread would): an operation with a deadline is linked to a timeout that the kernel fires, with
 * no cancel from anyone; the timespec entry is given back once both completions are in; a batch of
 * linked pairs larger than the submission queue is submitted in parts.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ThisMachine.NeedsDriver(DriverLadder.Rung.IO_URING)
class LinkTimeoutTest {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment callState = LibC.allocateCallState(arena);
    private final Map<Long, Integer> results = new HashMap<>();
    private UringDriver driver;
    /** An eventfd nobody writes: a read of it waits until cancelled. */
    private FileHandle idle;

    @BeforeEach
    void createEventfd() {
        int fd = LibC.eventfd(callState, 0, LibC.EFD_CLOEXEC);
        assertTrue(fd >= 0, "eventfd: " + fd);
        idle = new FileHandle(fd, FileHandle.IoMode.STREAM, FileType.UNKNOWN, FileSystemTraits.UNKNOWN, true);
    }

    /**
     * Creates the ring on the calling thread, the test's own: with {@code SINGLE_ISSUER} only that
     * thread may enter it, and JUnit runs a test with a timeout on another thread than its set-up.
     */
    private void createRing() {
        driver = new UringDriver(8, 0, 1);
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
        LibC.close(callState, idle.fd());
        arena.close();
    }

    private Operation read(long deadlineMillis) {
        MemorySegment buffer = arena.allocate(JAVA_LONG);
        return new Transfer(idle, Transfer.Direction.READ, buffer.address(), 8, -1)
                .setDeadlineNanos(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMillis));
    }

    /** Reaps until {@code userData}'s completion is in, and returns it. */
    private int awaitResult(long userData) throws Exception {
        while (!results.containsKey(userData)) {
            driver.await(true, results::put);
        }
        return results.get(userData);
    }

    /** Reaps until every timeout's two completions are in. */
    private void awaitTimeoutsAnswered() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (driver.timeoutsInUse() > 0) {
            assertTrue(System.nanoTime() < deadline, driver.timeoutsInUse() + " timeouts never answered");
            driver.await(false, results::put);
            Thread.sleep(1);
        }
    }

    @Test
    void theKernelCancelsAnOperationAtItsDeadline() throws Exception {
        createRing();
        assertTrue(driver.timesOutInKernel(), "this kernel has IORING_OP_LINK_TIMEOUT");
        long start = System.nanoTime();
        driver.submit(read(50), 1);
        assertEquals(-Errno.ECANCELED, awaitResult(1));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMillis >= 49 && tookMillis < 1_000, "took " + tookMillis + " ms");
        awaitTimeoutsAnswered();
    }

    @Test
    void anOperationThatCompletesFirstReleasesItsTimeout() throws Exception {
        createRing();
        MemorySegment one = arena.allocate(JAVA_LONG);
        one.set(JAVA_LONG, 0, 7);
        LibC.signalEventfd(idle.fd(), one);
        driver.submit(read(60_000), 1);
        assertEquals(8, awaitResult(1));
        awaitTimeoutsAnswered();
    }

    /** Seven operations with timeouts are fourteen entries for an 8-entry submission queue. */
    @Test
    void moreLinkedPairsThanTheSubmissionQueueHoldsAreSubmittedInParts() throws Exception {
        createRing();
        assertEquals(7, driver.capacity());
        for (long userData = 1; userData <= 7; userData++) {
            driver.submit(read(100), userData);
        }
        for (long userData = 1; userData <= 7; userData++) {
            assertEquals(-Errno.ECANCELED, awaitResult(userData), "operation " + userData);
        }
        awaitTimeoutsAnswered();
    }
}
