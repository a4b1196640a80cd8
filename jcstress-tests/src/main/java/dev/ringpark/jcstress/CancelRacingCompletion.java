package dev.ringpark.jcstress;

import dev.ringpark.RingOpenOption;
import dev.ringpark.poller.ladder.DriverLadder;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * An interrupt that cancels a call ({@link RingOpenOption#INTERRUPT_CANCELS_CALL}) racing the
 * completion of that call, end to end: the caller reads a byte of a pipe through a Ringpark channel
 * while the peer writes the byte and interrupts the caller, in one order or the other. The contract:
 * a read that got the byte returns it (the interrupt status set if the interrupt came), a read the
 * interrupt cancelled throws {@link InterruptedIOException} with the status set and leaves the byte
 * in the pipe; never is the byte consumed by a read reported cancelled, and the channel stays open.
 *
 * <p>Results, in order: what the read did (1: returned the byte; 2: threw InterruptedIOException; 3:
 * threw ClosedByInterruptException; 4: anything else); the caller's interrupt status right after;
 * the bytes left in the pipe once both actors were done; whether the channel was open then; whether
 * the peer interrupted the caller this round (0: the caller had left).
 */
public final class CancelRacingCompletion {
    private CancelRacingCompletion() {
    }

    /** One round: a lent pipe, the caller's thread, and a gate keeping the interrupt inside the round. */
    abstract static class Round {
        final LentPipe pipe;
        final InterruptGate gate = new InterruptGate();
        /** The caller's thread, published to the peer through the gate's first state change. */
        volatile Thread caller;

        Round(DriverLadder.Rung rung) {
            pipe = new LentPipe(rung);
        }

        void caller(IIIII_Result r) {
            caller = Thread.currentThread();
            gate.open();
            r.r1 = Watchdog.watch(() -> read());
            r.r2 = Thread.currentThread().isInterrupted() ? 1 : 0;
            r.r5 = Watchdog.watch(gate::leave) ? 1 : 0;
            pipe.actorDone();
        }

        private int read() {
            try {
                return pipe.get().channel().read(ByteBuffer.allocate(1)) == 1 ? 1 : 4;
            } catch (ClosedByInterruptException e) {
                return 3;
            } catch (InterruptedIOException e) {
                return 2;
            } catch (Exception e) {
                return 4;
            }
        }

        void writeThenInterrupt() {
            pipe.get().write();
            gate.interrupt(this);
            pipe.actorDone();
        }

        void interruptThenWrite() {
            gate.interrupt(this);
            pipe.get().write();
            pipe.actorDone();
        }

        void arbiter(IIIII_Result r) {
            r.r3 = pipe.left();
            r.r4 = pipe.channelOpen() ? 1 : 0;
        }
    }

    /**
     * Lets the peer interrupt the caller only while the caller is inside its actor method: jcstress
     * runs the next round on the same thread, which must not inherit this round's interrupt.
     */
    static final class InterruptGate {
        private static final int NOT_YET = 0;
        private static final int OPEN = 1;
        private static final int INTERRUPTING = 2;
        private static final int INTERRUPTED = 3;
        private static final int SHUT = 4;

        private final AtomicInteger state = new AtomicInteger(NOT_YET);

        /** Caller, first: the peer may interrupt from now on. */
        void open() {
            state.set(OPEN);
        }

        /** Peer: waits until the caller is in, then interrupts it unless it has left already. */
        void interrupt(Round round) {
            while (state.get() == NOT_YET) {
                Thread.onSpinWait();
            }
            if (state.compareAndSet(OPEN, INTERRUPTING)) {
                round.caller.interrupt();
                state.set(INTERRUPTED);
            }
        }

        /** Caller, last: shuts the gate, lets an interrupt under way land, clears the status; whether one came. */
        boolean leave() {
            boolean interrupted = !state.compareAndSet(OPEN, SHUT);
            if (interrupted) {
                while (state.get() != INTERRUPTED) {
                    Thread.onSpinWait();
                }
            }
            Thread.interrupted();
            return interrupted;
        }
    }

    @JCStressTest
    @Description("On io_uring, the peer writes the byte, then interrupts the reader. Is every outcome whole?")
    @Outcome(id = "1, 1, 0, 1, 1", expect = ACCEPTABLE,
            desc = "The read returned the byte; the interrupt came too and its status is kept.")
    @Outcome(id = "1, 0, 0, 1, 0", expect = ACCEPTABLE,
            desc = "The read returned the byte and the caller left before the interrupt.")
    @Outcome(id = "1, 0, 0, 1, 1", expect = ACCEPTABLE,
            desc = "The read returned the byte; the interrupt came after the caller looked at its status.")
    @Outcome(id = "2, 1, 1, 1, 1", expect = ACCEPTABLE,
            desc = "Impossible in this order unless the read began after the interrupt; allowed: the interrupt "
                    + "cancelled the call before any I/O and the byte stays.")
    @Outcome(id = "2, .*, 0, .*", expect = FORBIDDEN,
            desc = "A read reported cancelled consumed the byte: data lost.")
    @Outcome(id = ".*, .*, .*, 0, .*", expect = FORBIDDEN, desc = "The interrupt closed the channel.")
    @Outcome(id = "3, .*", expect = FORBIDDEN, desc = "ClosedByInterruptException: the option was ignored.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome: a lost interrupt status, a wrong result.")
    @State
    @NeedsDriver(DriverLadder.Rung.IO_URING)
    public static class WriteThenInterruptOnIoUring extends Round {
        public WriteThenInterruptOnIoUring() {
            super(DriverLadder.Rung.IO_URING);
        }

        @Actor
        public void reader(IIIII_Result r) {
            caller(r);
        }

        @Actor
        public void peer() {
            writeThenInterrupt();
        }

        @Arbiter
        public void arbiter(IIIII_Result r) {
            super.arbiter(r);
        }
    }

    @JCStressTest
    @Description("On io_uring, the peer interrupts the reader, then writes the byte: the interrupt cancels the "
            + "read in the kernel, races its completion, or comes before the call. Is every outcome whole?")
    @Outcome(id = "1, 1, 0, 1, 1", expect = ACCEPTABLE,
            desc = "The read completed with the byte before the cancel took effect; the status is kept.")
    @Outcome(id = "2, 1, 1, 1, 1", expect = ACCEPTABLE,
            desc = "The interrupt cancelled the read; the byte stays in the pipe; the channel stays open.")
    @Outcome(id = "2, .*, 0, .*", expect = FORBIDDEN,
            desc = "A read reported cancelled consumed the byte: data lost.")
    @Outcome(id = ".*, .*, .*, 0, .*", expect = FORBIDDEN, desc = "The interrupt closed the channel.")
    @Outcome(id = "3, .*", expect = FORBIDDEN, desc = "ClosedByInterruptException: the option was ignored.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome: a lost interrupt status, a wrong result.")
    @State
    @NeedsDriver(DriverLadder.Rung.IO_URING)
    public static class InterruptThenWriteOnIoUring extends Round {
        public InterruptThenWriteOnIoUring() {
            super(DriverLadder.Rung.IO_URING);
        }

        @Actor
        public void reader(IIIII_Result r) {
            caller(r);
        }

        @Actor
        public void peer() {
            interruptThenWrite();
        }

        @Arbiter
        public void arbiter(IIIII_Result r) {
            super.arbiter(r);
        }
    }

    @JCStressTest
    @Description("As InterruptThenWriteOnIoUring on the thread-pool driver: the cancel stops the worker's poll, "
            + "racing the byte.")
    @Outcome(id = "1, 1, 0, 1, 1", expect = ACCEPTABLE,
            desc = "The read completed with the byte before the cancel took effect; the status is kept.")
    @Outcome(id = "2, 1, 1, 1, 1", expect = ACCEPTABLE,
            desc = "The interrupt cancelled the read; the byte stays in the pipe; the channel stays open.")
    @Outcome(id = "2, .*, 0, .*", expect = FORBIDDEN,
            desc = "A read reported cancelled consumed the byte: data lost.")
    @Outcome(id = ".*, .*, .*, 0, .*", expect = FORBIDDEN, desc = "The interrupt closed the channel.")
    @Outcome(id = "3, .*", expect = FORBIDDEN, desc = "ClosedByInterruptException: the option was ignored.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome: a lost interrupt status, a wrong result.")
    @State
    public static class InterruptThenWriteOnThreads extends Round {
        public InterruptThenWriteOnThreads() {
            super(DriverLadder.Rung.THREADS);
        }

        @Actor
        public void reader(IIIII_Result r) {
            caller(r);
        }

        @Actor
        public void peer() {
            interruptThenWrite();
        }

        @Arbiter
        public void arbiter(IIIII_Result r) {
            super.arbiter(r);
        }
    }
}
