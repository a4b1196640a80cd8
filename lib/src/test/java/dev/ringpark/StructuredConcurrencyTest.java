package dev.ringpark;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link StructuredTaskScope} (a preview API in JDK 25) cancelled, or past its deadline, while its
 * subtasks are blocked in reads of one shared channel. A scope's cancellation interrupts its
 * subtasks' threads, and what each subtask then sees is the channel's interrupt policy:
 * <ul>
 *   <li>by default ({@code FileChannel}'s), each subtask blocked in a read gets
 *       {@link ClosedByInterruptException}, or {@link AsynchronousCloseException} when another
 *       subtask's interrupt closed the channel under it first; the channel is closed for everyone;</li>
 *   <li>with {@link RingOpenOption#INTERRUPT_CANCELS_CALL}, each gets {@link InterruptedIOException}
 *       with its interrupt status set, the channel stays open, and no byte was consumed by a
 *       cancelled read: the scope's owner reads on after the scope is done.</li>
 * </ul>
 * Either way every subtask is done promptly after the cancellation. Without native access the JDK
 * can stop a FIFO read only by closing its channel: with the option, the first subtask to stop its
 * read gets {@link InterruptedIOException} and closes the channel, whose close ends the reads of the
 * others still in flight ({@link AsynchronousCloseException}) (documented).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StructuredConcurrencyTest {
    /** How long from a scope's cancellation until every subtask is done, at most. */
    static final Duration PROMPTLY = Duration.ofSeconds(3);
    static final int SUBTASKS = 32;

    enum Interrupts {
        CLOSE_CHANNEL(), CANCEL_CALL(RingOpenOption.INTERRUPT_CANCELS_CALL);

        final OpenOption[] options;

        Interrupts(OpenOption... options) {
            this.options = options;
        }
    }

    @TempDir
    Path tmp;

    private Path fifo;
    private RingFileChannel channel;
    private OutputStream writer;

    @AfterEach
    void closeEverything() throws IOException {
        if (fifo != null) {
            Fifos.unblockOpeners(fifo);
        }
        if (writer != null) {
            writer.close();
        }
        if (channel != null) {
            channel.close();
        }
    }

    /** A FIFO read by the channel (opened with {@code interrupts}' options) and written by a JDK stream. */
    private void openFifo(Interrupts interrupts) throws Exception {
        fifo = Fifos.make(tmp.resolve("fifo"));
        CompletableFuture<OutputStream> peer = CompletableFuture.supplyAsync(() -> {
            try {
                return new FileOutputStream(fifo.toFile());
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, task -> Thread.ofPlatform().daemon().name("fifo-writer").start(task));
        Set<OpenOption> options = new HashSet<>(List.of(StandardOpenOption.READ));
        options.addAll(List.of(interrupts.options));
        channel = VirtualThreads.call(() -> RingFileChannel.open(fifo, options));
        writer = peer.get(10, TimeUnit.SECONDS);
    }

    /** What each subtask's read ended with: a class name, or "read N". */
    private static String outcome(ThrowingRead read) {
        try {
            return "read " + read.run();
        } catch (Throwable t) {
            return t.getClass().getSimpleName() + (Thread.currentThread().isInterrupted() ? " (interrupted)" : "");
        }
    }

    @FunctionalInterface
    interface ThrowingRead {
        long run() throws IOException;
    }

    private static Map<String, Integer> histogram(AtomicReferenceArray<String> outcomes) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < outcomes.length(); i++) {
            counts.merge(String.valueOf(outcomes.get(i)), 1, Integer::sum);
        }
        return counts;
    }

    private static void awaitAllParked(List<Thread> threads) throws InterruptedException {
        for (Thread thread : threads) {
            VirtualThreads.awaitParked(thread, 10_000);
        }
    }

    /**
     * Checks the subtasks' outcomes against the policy, and the channel after: open and nothing lost
     * with the option (native access), closed without it.
     */
    private void checkOutcomes(Interrupts interrupts, AtomicReferenceArray<String> outcomes) throws Exception {
        Map<String, Integer> counts = histogram(outcomes);
        if (interrupts == Interrupts.CANCEL_CALL) {
            if (Ringpark.offloaded()) {
                // Only closing stops a FIFO read of the JDK's (documented): the first subtask to stop a read a
                // pool thread had started closes the channel, which ends the reads of those its interrupt has
                // not reached yet. Reads still queued are taken off the queue, and if none had started, the
                // channel stays open.
                Set<String> allowed = Set.of(InterruptedIOException.class.getSimpleName() + " (interrupted)",
                        AsynchronousCloseException.class.getSimpleName() + " (interrupted)",
                        AsynchronousCloseException.class.getSimpleName());
                assertTrue(allowed.containsAll(counts.keySet()), "what the subtasks got: " + counts);
                assertTrue(counts.containsKey(InterruptedIOException.class.getSimpleName() + " (interrupted)"),
                        "what the subtasks got: " + counts);
                if (!channel.isOpen()) {
                    return;
                }
            } else {
                assertEquals(Map.of(InterruptedIOException.class.getSimpleName() + " (interrupted)", SUBTASKS),
                        counts, "each blocked subtask's read is cancelled alone, its interrupt status kept");
            }
            assertTrue(channel.isOpen(), "the channel stays open");
            writer.write(Bytes.pattern(7, 16));
            writer.flush();
            ByteBuffer buffer = ByteBuffer.allocate(16);
            assertEquals(16, VirtualThreads.call(() -> channel.read(buffer)), "the owner reads on");
            assertArrayEquals(Bytes.pattern(7, 16), buffer.array(), "no cancelled read consumed a byte");
        } else {
            // A subtask whose read the close ended may finish before the scope gets to interrupt it.
            Set<String> allowed = Set.of(ClosedByInterruptException.class.getSimpleName() + " (interrupted)",
                    AsynchronousCloseException.class.getSimpleName() + " (interrupted)",
                    AsynchronousCloseException.class.getSimpleName());
            assertTrue(allowed.containsAll(counts.keySet()), "what the subtasks got: " + counts);
            assertFalse(channel.isOpen(), "an interrupt closes the channel, for every subtask");
        }
    }

    /** A subtask fails: the scope is cancelled and its other subtasks, blocked in reads, are interrupted. */
    @ParameterizedTest(name = "{0}: a cancelled scope's blocked readers end promptly")
    @EnumSource(Interrupts.class)
    void aCancelledScopesBlockedReadersEndPromptly(Interrupts interrupts) throws Exception {
        openFifo(interrupts);
        AtomicReferenceArray<String> outcomes = new AtomicReferenceArray<>(SUBTASKS);
        List<Thread> readers = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicLong cancelledAt = new AtomicLong();
        long done = VirtualThreads.call(() -> {
            try (var scope = StructuredTaskScope.open(Joiner.<Object>awaitAllSuccessfulOrThrow())) {
                for (int i = 0; i < SUBTASKS; i++) {
                    int index = i;
                    scope.fork(() -> {
                        readers.add(Thread.currentThread());
                        outcomes.set(index, outcome(() -> channel.read(ByteBuffer.allocate(16))));
                        return null;
                    });
                }
                scope.fork(() -> {
                    while (readers.size() < SUBTASKS) {
                        Thread.sleep(1);
                    }
                    awaitAllParked(readers);
                    cancelledAt.set(System.nanoTime());
                    throw new IllegalStateException("a subtask failed");
                });
                assertThrows(StructuredTaskScope.FailedException.class, scope::join);
            }
            return System.nanoTime();
        });
        Duration took = Duration.ofNanos(done - cancelledAt.get());
        assertTrue(took.compareTo(PROMPTLY) < 0, "from the cancellation to every subtask done: " + took);
        checkOutcomes(interrupts, outcomes);
    }

    /** The scope's deadline passes: join throws, the scope is cancelled, its blocked readers end. */
    @ParameterizedTest(name = "{0}: a scope past its deadline ends its blocked readers promptly")
    @EnumSource(Interrupts.class)
    void aScopePastItsDeadlineEndsItsBlockedReadersPromptly(Interrupts interrupts) throws Exception {
        openFifo(interrupts);
        AtomicReferenceArray<String> outcomes = new AtomicReferenceArray<>(SUBTASKS);
        Duration timeout = Duration.ofMillis(500);
        long[] times = new long[2];
        VirtualThreads.call(() -> {
            times[0] = System.nanoTime();
            try (var scope = StructuredTaskScope.open(Joiner.<Object>awaitAll(), cf -> cf.withTimeout(timeout))) {
                for (int i = 0; i < SUBTASKS; i++) {
                    int index = i;
                    scope.fork(() -> {
                        outcomes.set(index, outcome(() -> channel.read(ByteBuffer.allocate(16))));
                    });
                }
                assertThrows(StructuredTaskScope.TimeoutException.class, scope::join);
            }
            times[1] = System.nanoTime();
            return null;
        });
        Duration afterDeadline = Duration.ofNanos(times[1] - times[0]).minus(timeout);
        assertFalse(afterDeadline.isNegative(), "the scope ended before its deadline");
        assertTrue(afterDeadline.compareTo(PROMPTLY) < 0, "from the deadline to every subtask done: " + afterDeadline);
        checkOutcomes(interrupts, outcomes);
    }

    /** Per-call deadlines inside a scope: each read times out on its own, and the channel stays open. */
    @Test
    void subtasksWithPerCallDeadlinesTimeOutAndLeaveTheChannelOpen() throws Exception {
        openFifo(Interrupts.CLOSE_CHANNEL);
        AtomicReferenceArray<String> outcomes = new AtomicReferenceArray<>(SUBTASKS);
        VirtualThreads.call(() -> {
            try (var scope = StructuredTaskScope.open(Joiner.<Object>awaitAll())) {
                for (int i = 0; i < SUBTASKS; i++) {
                    int index = i;
                    scope.fork(() -> {
                        outcomes.set(index, outcome(() -> channel.read(ByteBuffer.allocate(16),
                                Duration.ofMillis(200))));
                    });
                }
                scope.join();
            }
            return null;
        });
        if (Ringpark.offloaded()) {
            // Without native access a FIFO read a pool thread had started, past its deadline, closes the
            // channel (documented), which ends the others' reads too.
            Set<String> allowed = Set.of(InterruptedByTimeoutException.class.getSimpleName(),
                    AsynchronousCloseException.class.getSimpleName(), ClosedChannelException.class.getSimpleName());
            assertTrue(allowed.containsAll(histogram(outcomes).keySet()), "outcomes: " + histogram(outcomes));
            return;
        }
        assertEquals(Map.of(InterruptedByTimeoutException.class.getSimpleName(), SUBTASKS), histogram(outcomes));
        assertTrue(channel.isOpen(), "deadlines leave the channel open");
    }

    /**
     * Subtasks reading a file whose pages were dropped from the page cache, when the scope is cancelled
     * part-way: every subtask is done promptly, each read either completed with the file's bytes or
     * ended as the policy says. Cold reads of a regular file the kernel has started cannot be
     * cancelled; they take the device's time, which is what "promptly" allows for.
     */
    @ParameterizedTest(name = "{0}: a cancelled scope's cold readers end promptly")
    @EnumSource(Interrupts.class)
    void aCancelledScopesColdReadersEndPromptly(Interrupts interrupts) throws Exception {
        int blockBytes = 64 * 1024;
        int blocks = 512; // 32 MiB
        Path file = tmp.resolve("cold");
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int block = 0; block < blocks; block++) {
                out.write(Bytes.pattern(block, blockBytes));
            }
        }
        Set<OpenOption> options = new HashSet<>(List.of(StandardOpenOption.READ));
        options.addAll(List.of(interrupts.options));
        channel = VirtualThreads.call(() -> RingFileChannel.open(file, options));
        VirtualThreads.call(() -> {
            channel.force(true);
            channel.advise(0, 0, RingFileChannel.Advice.DONT_NEED);
            return null;
        });
        AtomicReferenceArray<String> outcomes = new AtomicReferenceArray<>(SUBTASKS);
        AtomicLong cancelledAt = new AtomicLong();
        CountDownLatch started = new CountDownLatch(SUBTASKS);
        long done = VirtualThreads.call(() -> {
            try (var scope = StructuredTaskScope.open(Joiner.<Object>awaitAllSuccessfulOrThrow())) {
                for (int i = 0; i < SUBTASKS; i++) {
                    int index = i;
                    scope.fork(() -> {
                        started.countDown();
                        outcomes.set(index, outcome(() -> readBlocks(index, blocks, blockBytes)));
                        return null;
                    });
                }
                scope.fork(() -> {
                    started.await();
                    Thread.sleep(20);
                    cancelledAt.set(System.nanoTime());
                    throw new IllegalStateException("a subtask failed");
                });
                assertThrows(StructuredTaskScope.FailedException.class, scope::join);
            }
            return System.nanoTime();
        });
        Duration took = Duration.ofNanos(done - cancelledAt.get());
        assertTrue(took.compareTo(PROMPTLY) < 0, "from the cancellation to every subtask done: " + took);
        Set<String> allowed = interrupts == Interrupts.CANCEL_CALL
                ? Set.of("InterruptedIOException (interrupted)", "read 0")
                : Set.of("ClosedByInterruptException (interrupted)", "AsynchronousCloseException (interrupted)",
                "ClosedChannelException (interrupted)", "AsynchronousCloseException", "ClosedChannelException",
                "read 0");
        Map<String, Integer> counts = histogram(outcomes);
        assertTrue(allowed.containsAll(counts.keySet()), "what the subtasks got: " + counts);
        if (interrupts == Interrupts.CANCEL_CALL) {
            assertTrue(channel.isOpen(), "the channel stays open");
        }
    }

    /**
     * Reads every {@link #SUBTASKS}-th block from {@code first}, checking each; returns 0 when done.
     * Stops at the first failure, which it throws. The interrupt status, once set, is kept: it is part
     * of the outcome.
     */
    private long readBlocks(int first, int blocks, int blockBytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(blockBytes);
        for (int block = first; block < blocks; block += SUBTASKS) {
            buffer.clear();
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, (long) block * blockBytes + buffer.position()) < 0) {
                    throw new IOException("end of file at block " + block);
                }
            }
            if (!java.util.Arrays.equals(Bytes.pattern(block, blockBytes), buffer.array())) {
                throw new IOException("wrong bytes in block " + block);
            }
        }
        return 0;
    }
}
