package dev.ringpark.poller;

import dev.ringpark.poller.ladder.DriverLadder;

import dev.ringpark.poller.linux.LibC;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The poller thread failing: an error is injected into a real io_uring driver (thrown from
 * {@code await}, from inside the reaping of a completion, or from {@code submit}) while callers are
 * parked in reads of idle pipes, in the ring and in the backlog, and others keep arriving. Every
 * caller must be released with an {@link IOException} that names the injected error, later calls must
 * fail at once with the same cause, and nothing may hang.
 *
 * <p>Buffers come from {@link Arena#global()}: a failed poller abandons its operations to the kernel,
 * so their memory is never freed (the library retires such bounce buffers the same way).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PollerFailureTest {
    private static final int RING_ENTRIES = 64;
    /** More than the ring holds (63 slots, 3 of them kept for cancels): the rest wait in the backlog. */
    private static final int PIPES = 10;
    private static final int READERS_PER_PIPE = 10;
    private static final int LATECOMERS = 20;

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new IOException("io_uring_enter failed: EFAULT (injected)"), FailingDriver.Point.AWAIT),
                Arguments.of(new IllegalStateException("injected bug in the driver"), FailingDriver.Point.AWAIT),
                Arguments.of(new OutOfMemoryError("injected: no memory"), FailingDriver.Point.AWAIT),
                Arguments.of(new IllegalStateException("injected bug while reaping"), FailingDriver.Point.REAP),
                Arguments.of(new IllegalStateException("injected bug while submitting"), FailingDriver.Point.SUBMIT));
    }

    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("failures")
    @ThisMachine.NeedsDriver(value = DriverLadder.Rung.IO_URING, entries = RING_ENTRIES)
    void everyParkedAndQueuedCallerIsReleasedWithTheCause(Throwable injected, FailingDriver.Point where)
            throws Exception {
        AtomicReference<FailingDriver> driver = new AtomicReference<>();
        Poller poller = start(driver);
        List<int[]> pipes = new ArrayList<>();
        for (int p = 0; p < PIPES; p++) {
            pipes.add(Pipes.open());
        }
        try {
            ConcurrentLinkedQueue<Throwable> outcomes = new ConcurrentLinkedQueue<>();
            AtomicInteger succeeded = new AtomicInteger();
            List<Thread> parked = new ArrayList<>();
            for (int i = 0; i < PIPES * READERS_PER_PIPE; i++) {
                FileHandle handle = PollerContract.handle(pipes.get(i % PIPES)[0], FileHandle.IoMode.STREAM);
                parked.add(Thread.ofVirtual().name("reader-" + i).start(() -> read(poller, handle, outcomes, succeeded)));
            }
            for (Thread thread : parked) {
                awaitParked(thread);
            }

            // Callers that arrive around the failure: before it, while it happens, or after it.
            List<Thread> latecomers = new ArrayList<>();
            for (int i = 0; i < LATECOMERS; i++) {
                FileHandle handle = PollerContract.handle(pipes.get(1 + i % (PIPES - 1))[0], FileHandle.IoMode.STREAM);
                long delayNanos = i * 100_000L;
                latecomers.add(Thread.ofVirtual().name("latecomer-" + i).start(() -> {
                    java.util.concurrent.locks.LockSupport.parkNanos(delayNanos);
                    read(poller, handle, outcomes, succeeded);
                }));
            }
            driver.get().inject(injected, where);
            switch (where) {
                case AWAIT -> { } // the wake-up makes the blocked await return and throw
                case REAP -> writeOneByte(pipes.get(0)); // a completion arrives and its reaping throws
                case SUBMIT -> writeOneByte(pipes.get(0)); // a slot frees, and the next admitted submit throws
            }

            for (Thread thread : parked) {
                assertTrue(thread.join(Duration.ofSeconds(10)), thread + " still parked after the poller failed");
            }
            for (Thread thread : latecomers) {
                assertTrue(thread.join(Duration.ofSeconds(10)), thread + " hangs after the poller failed");
            }

            // Each parked reader ended with the cause, except (SUBMIT only) the one that got the byte.
            int expectedSuccesses = where == FailingDriver.Point.SUBMIT ? 1 : 0;
            assertTrue(succeeded.get() <= expectedSuccesses, "reads that completed: " + succeeded.get());
            for (Throwable outcome : outcomes) {
                assertNamesCause(injected, outcome);
            }
            assertEquals(PIPES * READERS_PER_PIPE + LATECOMERS, outcomes.size() + succeeded.get(),
                    "callers that ended");

            // Later calls fail at once, with the same cause.
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                IOException later = assertThrows(IOException.class, () -> poller.execute(new Close(-1)));
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertNamesCause(injected, later);
                assertTrue(millis < 1000, "a call on the failed poller took " + millis + " ms");
            }
            // What callers do around a failure does not hang either: cancel all, describe.
            FileHandle closing = PollerContract.handle(pipes.get(1)[0], FileHandle.IoMode.STREAM);
            assertTrue(closing.beginClose());
            poller.cancelAll(closing);
            closing.awaitIdle();
            assertNotNull(poller.driverSetup());

            for (Thread pollerThread : pollerThreads()) {
                assertTrue(pollerThread.join(Duration.ofSeconds(10)), "the failed poller thread did not end");
            }
            System.out.println("poller failure " + injected + " at " + where + ": " + outcomes.size()
                    + " callers released with the cause, " + succeeded.get() + " completed; driver closed: "
                    + driver.get().closed());
        } finally {
            pipes.forEach(Pipes::close);
        }
    }

    /** A few rounds of callers racing the failure on a fresh poller each: no call may hang or get lost. */
    @Test
    @ThisMachine.NeedsDriver(value = DriverLadder.Rung.IO_URING, entries = RING_ENTRIES)
    void callersRacingTheFailureNeverHang() throws Exception {
        for (int round = 0; round < 10; round++) {
            AtomicReference<FailingDriver> driver = new AtomicReference<>();
            Poller poller = start(driver);
            IOException injected = new IOException("injected in round " + round);
            AtomicInteger answered = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            ConcurrentLinkedQueue<Throwable> wrong = new ConcurrentLinkedQueue<>();
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                callers.add(Thread.ofVirtual().start(() -> {
                    for (;;) {
                        try {
                            int rc = poller.execute(new Close(-1));
                            if (rc != -Errno.EBADF) {
                                wrong.add(new AssertionError("close(-1) returned " + rc));
                            }
                            answered.incrementAndGet();
                        } catch (IOException e) {
                            if (!causeChainContains(e, injected)) {
                                wrong.add(e);
                            }
                            refused.incrementAndGet();
                            return;
                        }
                    }
                }));
            }
            while (answered.get() < 1000) {
                Thread.sleep(1);
            }
            driver.get().inject(injected, round % 2 == 0 ? FailingDriver.Point.AWAIT : FailingDriver.Point.REAP);
            for (Thread caller : callers) {
                assertTrue(caller.join(Duration.ofSeconds(10)), "round " + round + ": " + caller + " hangs");
            }
            assertTrue(wrong.isEmpty(), "round " + round + ": " + wrong);
            assertEquals(16, refused.get());
        }
    }

    @Test
    void aDriverThatCannotStartIsReportedWithItsReason() {
        IOException e = assertThrows(IOException.class, () -> Poller.start("failing-start", () -> {
            throw new IllegalStateException("io_uring_setup failed: EPERM (injected)");
        }));
        assertTrue(e.getMessage().contains("io_uring_setup failed: EPERM (injected)"), e.getMessage());
        assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
    }

    // ------------------------------------------------------------------ helpers

    private static Poller start(AtomicReference<FailingDriver> driver) throws IOException {
        return Poller.start("failing-poller", () -> {
            FailingDriver failing = new FailingDriver(DriverLadder.forced(DriverLadder.Rung.IO_URING, new DriverLadder.Settings(RING_ENTRIES, 1, 0)).get());
            driver.set(failing);
            return failing;
        });
    }

    /** One read of an idle pipe: records the exception it ends with, or counts a completed read. */
    private static void read(Poller poller, FileHandle handle, ConcurrentLinkedQueue<Throwable> outcomes,
                             AtomicInteger succeeded) {
        MemorySegment buffer = Arena.global().allocate(16);
        try {
            int n = poller.execute(new Transfer(handle, Transfer.Direction.READ, buffer.address(), 16, -1));
            if (n != 1 || buffer.get(JAVA_BYTE, 0) != 42) {
                outcomes.add(new AssertionError("read returned " + n + " without a failure"));
            } else {
                succeeded.incrementAndGet();
            }
        } catch (IOException e) {
            outcomes.add(e);
        } catch (Throwable t) {
            outcomes.add(new AssertionError("unexpected", t));
        }
    }

    private static void writeOneByte(int[] pipe) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = LibC.allocateCallState(arena);
            MemorySegment one = arena.allocate(1);
            one.set(JAVA_BYTE, 0, (byte) 42);
            assertEquals(1, LibC.write(callState, pipe[1], one, 1), "write to the pipe");
        }
    }

    static void assertNamesCause(Throwable injected, Throwable outcome) {
        if (!(outcome instanceof IOException)) {
            fail("expected an IOException naming " + injected + ", got " + outcome, outcome);
        }
        assertTrue(causeChainContains(outcome, injected), () -> "the cause chain of " + outcome + " lacks " + injected);
        assertTrue(outcome.getMessage() != null && outcome.getMessage().contains(injected.getMessage()),
                () -> "message '" + outcome.getMessage() + "' does not name '" + injected.getMessage() + "'");
    }

    static boolean causeChainContains(Throwable outcome, Throwable injected) {
        for (Throwable t = outcome; t != null; t = t.getCause()) {
            if (t == injected) {
                return true;
            }
        }
        return false;
    }

    /** The threads of failed pollers that are still alive (each ends when its loop has failed). */
    private static List<Thread> pollerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("failing-poller")).toList();
    }

    static void awaitParked(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (thread.getState() != Thread.State.WAITING) {
            assertTrue(thread.isAlive(), thread + " ended instead of parking");
            assertTrue(System.nanoTime() < deadline, thread + " did not park");
            Thread.sleep(1);
        }
    }
}
