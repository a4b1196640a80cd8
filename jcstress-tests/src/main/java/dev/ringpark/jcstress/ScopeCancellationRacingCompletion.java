package dev.ringpark.jcstress;

import dev.ringpark.JcstressPipes;
import dev.ringpark.RingOpenOption;
import dev.ringpark.poller.ladder.DriverLadder;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A {@link StructuredTaskScope} (a preview API in JDK 25) cancelled while its subtask reads a pipe
 * through a channel opened with {@link RingOpenOption#INTERRUPT_CANCELS_CALL}, racing the byte the
 * other actor writes: the scope's owner forks the reader and a subtask that fails at once, which
 * cancels the scope and interrupts the reader wherever it is (not started, about to read, parked in
 * the kernel, or done). The contract: the scope closes only once its subtasks are done; the reader
 * either returned the byte, or threw {@link InterruptedIOException} with its interrupt status set
 * and left the byte in the pipe, or never ran; the channel, shared with the owner, stays open.
 *
 * <p>Results, in order: what the reader did (0: never ran; 1: returned the byte; 2: threw
 * InterruptedIOException; 3: threw ClosedByInterruptException; 4: anything else); its interrupt
 * status then; the bytes left in the pipe once both actors were done; whether the channel was open
 * then.
 */
public final class ScopeCancellationRacingCompletion {
    private ScopeCancellationRacingCompletion() {
    }

    /** Runs a scope whose reader reads {@code pipe} and whose other subtask fails; returns {reader's outcome, its status}. */
    static int[] cancelledScope(JcstressPipes.Pipe pipe) {
        int[] reader = {0, 0};
        try (var scope = StructuredTaskScope.open(Joiner.<Object>awaitAllSuccessfulOrThrow())) {
            scope.fork(() -> {
                reader[0] = read(pipe);
                reader[1] = Thread.currentThread().isInterrupted() ? 1 : 0;
                return null;
            });
            scope.fork(() -> {
                throw new IllegalStateException("a subtask failed");
            });
            scope.join();
        } catch (StructuredTaskScope.FailedException expected) {
            // the failing subtask cancelled the scope
        } catch (InterruptedException e) {
            throw new IllegalStateException("the scope's owner was interrupted", e);
        }
        return reader; // written by the reader's thread, which close() joined
    }

    private static int read(JcstressPipes.Pipe pipe) {
        try {
            return pipe.channel().read(ByteBuffer.allocate(1)) == 1 ? 1 : 4;
        } catch (ClosedByInterruptException e) {
            return 3;
        } catch (InterruptedIOException e) {
            return 2;
        } catch (Exception e) {
            return 4;
        }
    }

    @JCStressTest
    @Description("On io_uring, a scope is cancelled while its subtask reads a pipe the other actor writes. Is "
            + "every outcome whole, the byte never lost, the shared channel never closed?")
    @Outcome(id = "1, [01], 0, 1", expect = ACCEPTABLE,
            desc = "The reader returned the byte, before the cancellation or racing it (its status then set).")
    @Outcome(id = "2, 1, 1, 1", expect = ACCEPTABLE,
            desc = "The cancellation cancelled the read (or came before it); the byte stays in the pipe.")
    @Outcome(id = "0, 0, 1, 1", expect = ACCEPTABLE,
            desc = "The scope was cancelled before the reader ran; the byte stays in the pipe.")
    @Outcome(id = "0, 0, -1, 1", expect = ACCEPTABLE,
            desc = "No pipe was free for this round (the owner ran too far ahead of the writer): nothing ran.")
    @Outcome(id = "2, .*, 0, .*", expect = FORBIDDEN,
            desc = "A read reported cancelled consumed the byte: data lost.")
    @Outcome(id = ".*, .*, .*, 0", expect = FORBIDDEN,
            desc = "The subtask's interrupt closed the channel the owner shares.")
    @Outcome(id = "3, .*", expect = FORBIDDEN, desc = "ClosedByInterruptException: the option was ignored.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome: a lost interrupt status, a wrong result.")
    @State
    @NeedsDriver(DriverLadder.Rung.IO_URING)
    public static class OnIoUring {
        private final LentPipe pipe = new LentPipe(DriverLadder.Rung.IO_URING);
        /**
         * Set by the owner as it starts the round; the writer waits for it, so that it never runs ahead of
         * the owner (it would lend a pipe for every round it is ahead). The owner never waits for the writer.
         */
        private volatile boolean ownerArrived;

        @Actor
        public void owner(IIII_Result r) {
            ownerArrived = true;
            try {
                JcstressPipes.Pipe lent = pipe.get();
                if (lent != null) {
                    int[][] reader = new int[1][];
                    Watchdog.watch(() -> {
                        reader[0] = cancelledScope(lent);
                    });
                    r.r1 = reader[0][0];
                    r.r2 = reader[0][1];
                }
            } finally {
                pipe.actorDone();
            }
        }

        @Actor
        public void peer() {
            try {
                Watchdog.watch(() -> { // an owner that died before the round would hold the writer here
                    while (!ownerArrived) {
                        Thread.onSpinWait();
                    }
                });
                JcstressPipes.Pipe lent = pipe.get();
                if (lent != null) {
                    lent.write();
                }
            } finally {
                pipe.actorDone();
            }
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r3 = pipe.left();
            r.r4 = pipe.channelOpen() ? 1 : 0;
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("Lost wake-up under a scope's cancellation: the reader of a pipe nobody writes is parked in "
            + "the kernel when the scope is cancelled. Does the scope always close?")
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE,
            desc = "The reader's read was cancelled and the scope closed with every subtask done.")
    @Outcome(id = "STALE", expect = FORBIDDEN,
            desc = "The read was never cancelled, or its cancellation never woke the reader: the scope waits for "
                    + "ever for its subtask.")
    @Outcome(id = "ERROR", expect = FORBIDDEN,
            desc = "The reader got something other than InterruptedIOException (or did not run), or the channel "
                    + "was closed.")
    @Outcome(expect = FORBIDDEN, desc = "jcstress reports nothing else for a termination test.")
    @State
    @NeedsDriver(DriverLadder.Rung.IO_URING)
    public static class CancelledScopeAlwaysCloses {
        @Actor
        public void owner() {
            JcstressPipes.Pipe pipe = JcstressPipes.take(DriverLadder.Rung.IO_URING);
            int[] reader = cancelledScope(pipe);
            if (reader[0] != 2 && reader[0] != 0 || !pipe.channel().isOpen()) {
                throw new IllegalStateException("reader outcome " + reader[0] + ", channel open "
                        + pipe.channel().isOpen());
            }
            JcstressPipes.drainAndGiveBack(DriverLadder.Rung.IO_URING, pipe);
        }

        @Signal
        public void nothingToSignal() {
            // The scope's cancellation is the only signal the reader needs.
        }
    }
}
