package dev.ringpark.poller;

import dev.ringpark.jcstress.Watchdog;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * An interrupt racing the completion of the operation its caller waits for in
 * {@link Operation#awaitDone}. The contract: the wait ends only once the operation is done; the
 * first interrupt seen while waiting runs {@code onInterrupt} once, and only for a cancellable
 * operation; {@code awaitDone} returns whether it saw one, and the caller's interrupt status is set
 * afterwards whenever an interrupt came.
 *
 * <p>jcstress runs at most as many actors as there are CPUs, and CI machines may have two, so the
 * interrupt and the completion come from one "poller side" actor, in a fixed order, in two tests;
 * between them the caller sees the two events land in either order at any point of its wait.
 *
 * <p>Results, in order: whether {@code awaitDone} returned {@code true} (1) or {@code false} (0); the
 * caller's interrupt status right after it; how many times {@code onInterrupt} ran; whether the poller
 * side interrupted the caller this round (1) or found it gone (0); the result the caller read
 * ({@value StandInPoller#NOT_DONE} when the operation was not done).
 */
public final class InterruptRacingCompletion {
    private InterruptRacingCompletion() {
    }

    /** One round: a caller waiting in one operation, and what the poller side needs to reach it. */
    abstract static class Round {
        final OperationQueue queue = new OperationQueue();
        final Operation operation;
        final InterruptGate gate = new InterruptGate();
        /** The caller's thread: written before the hand-off, read by the poller side after it. */
        Thread caller;
        /** How many times onInterrupt ran; it runs on the caller's thread. */
        int cancelRequests;

        Round(Operation operation) {
            this.operation = operation;
        }

        void callerWaits(IIIII_Result r) {
            caller = Thread.currentThread();
            StandInPoller.handOver(queue, operation);
            r.r1 = Watchdog.watch(() -> operation.awaitDone(() -> cancelRequests++)) ? 1 : 0;
            r.r2 = Thread.currentThread().isInterrupted() ? 1 : 0;
            r.r3 = cancelRequests;
            r.r4 = Watchdog.watch(gate::leave) ? 1 : 0;
            r.r5 = StandInPoller.resultOf(operation);
        }

        void interruptThenComplete() {
            Operation taken = StandInPoller.take(queue);
            gate.interrupt(caller);
            taken.complete(HandOff.RESULT);
        }

        void completeThenInterrupt() {
            Operation taken = StandInPoller.take(queue);
            taken.complete(HandOff.RESULT);
            gate.interrupt(caller);
        }
    }

    @JCStressTest
    @Description("The poller side interrupts the waiting caller, then completes its cancellable operation. "
            + "Does the caller always wait for the completion, ask to cancel exactly once, and keep its "
            + "interrupt status?")
    @Outcome(id = "1, 1, 1, 1, 42", expect = ACCEPTABLE,
            desc = "The interrupt reached the waiting caller: onInterrupt asked once for cancellation, the wait "
                    + "went on until completion, and the interrupt status was set again.")
    @Outcome(id = "0, 1, 0, 1, 42", expect = ACCEPTABLE,
            desc = "Interrupt and completion both landed before the caller looked: awaitDone found the "
                    + "operation done, returned false without consuming the interrupt, and the status stays set.")
    @Outcome(id = "1, 0, .*", expect = FORBIDDEN,
            desc = "awaitDone saw the interrupt but did not set the status again: the caller loses it.")
    @Outcome(id = "0, 0, .*", expect = FORBIDDEN,
            desc = "The interrupt was swallowed: awaitDone did not report it and the status is clear.")
    @Outcome(id = "1, 1, 0, .*", expect = FORBIDDEN,
            desc = "awaitDone saw the interrupt but never asked to cancel the cancellable operation.")
    @Outcome(id = "[01], [01], [2-9], .*", expect = FORBIDDEN,
            desc = "onInterrupt ran more than once: a second cancellation was handed over.")
    @Outcome(id = ".*, -1000", expect = FORBIDDEN,
            desc = "The interrupt ended the wait before the operation was done: its memory may still be "
                    + "in the kernel's hands.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome: a wrong result or an impossible combination.")
    @State
    public static class InterruptThenComplete extends Round {
        public InterruptThenComplete() {
            super(StandInPoller.read());
        }

        @Actor
        public void caller(IIIII_Result r) {
            callerWaits(r);
        }

        @Actor
        public void poller() {
            interruptThenComplete();
        }
    }

    @JCStressTest
    @Description("The poller side completes the cancellable operation, then interrupts its caller, who may "
            + "still be waiting, about to return, or gone. Does the caller report the interrupt only if it "
            + "saw one, and keep its status whenever one came?")
    @Outcome(id = "0, 0, 0, 0, 42", expect = ACCEPTABLE,
            desc = "The caller returned and left before the interrupt was sent: no interrupt this round.")
    @Outcome(id = "0, 0, 0, 1, 42", expect = ACCEPTABLE,
            desc = "The interrupt came after the caller had returned and read its status.")
    @Outcome(id = "0, 1, 0, 1, 42", expect = ACCEPTABLE,
            desc = "The interrupt came after completion but after awaitDone's last look at it: not reported, "
                    + "and the status stays set.")
    @Outcome(id = "1, 1, 1, 1, 42", expect = ACCEPTABLE,
            desc = "The interrupt came after completion but before awaitDone's last look at it: reported, "
                    + "onInterrupt ran once (cancelling a done operation is harmless), the status set again.")
    @Outcome(id = "1, 0, .*", expect = FORBIDDEN,
            desc = "awaitDone saw the interrupt but did not set the status again: the caller loses it.")
    @Outcome(id = "1, .*, .*, 0, .*", expect = FORBIDDEN,
            desc = "awaitDone reported an interrupt although none was sent.")
    @Outcome(id = "0, 1, .*, 0, .*", expect = FORBIDDEN,
            desc = "The interrupt status is set although no interrupt was sent.")
    @Outcome(id = "[01], [01], [2-9], .*", expect = FORBIDDEN,
            desc = "onInterrupt ran more than once: a second cancellation was handed over.")
    @Outcome(id = ".*, -1000", expect = FORBIDDEN,
            desc = "awaitDone returned before the operation was done.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome: a wrong result or an impossible combination.")
    @State
    public static class CompleteThenInterrupt extends Round {
        public CompleteThenInterrupt() {
            super(StandInPoller.read());
        }

        @Actor
        public void caller(IIIII_Result r) {
            callerWaits(r);
        }

        @Actor
        public void poller() {
            completeThenInterrupt();
        }
    }

    @JCStressTest
    @Description("As InterruptThenComplete, for a close, which is not cancellable: is onInterrupt never run, "
            + "while the interrupt is still reported and kept?")
    @Outcome(id = "1, 1, 0, 1, 42", expect = ACCEPTABLE,
            desc = "The interrupt reached the waiting caller; a close is not cancelled, so onInterrupt did not "
                    + "run; the wait went on until completion and the status was set again.")
    @Outcome(id = "0, 1, 0, 1, 42", expect = ACCEPTABLE,
            desc = "Interrupt and completion both landed before the caller looked: awaitDone returned false "
                    + "and the status stays set.")
    @Outcome(id = "[01], [01], [1-9], .*", expect = FORBIDDEN,
            desc = "onInterrupt ran for an operation that must not be cancelled (a close would leak its fd).")
    @Outcome(id = "1, 0, .*", expect = FORBIDDEN,
            desc = "awaitDone saw the interrupt but did not set the status again.")
    @Outcome(id = "0, 0, .*", expect = FORBIDDEN,
            desc = "The interrupt was swallowed: awaitDone did not report it and the status is clear.")
    @Outcome(id = ".*, -1000", expect = FORBIDDEN,
            desc = "The interrupt ended the wait before the close was done.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome: a wrong result or an impossible combination.")
    @State
    public static class NotCancellableInterruptThenComplete extends Round {
        public NotCancellableInterruptThenComplete() {
            super(new Close(-1));
        }

        @Actor
        public void caller(IIIII_Result r) {
            callerWaits(r);
        }

        @Actor
        public void poller() {
            interruptThenComplete();
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("Lost wake-up under interrupt: the signal interrupts the caller parked in awaitDone, then "
            + "completes its operation. Does the caller always return, with the result and its interrupt "
            + "status set?")
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE,
            desc = "The caller waited through the interrupt and returned once the operation completed.")
    @Outcome(id = "STALE", expect = FORBIDDEN,
            desc = "Lost wake-up: the interrupt consumed or hid the completion's unpark, and the caller "
                    + "stays parked.")
    @Outcome(id = "ERROR", expect = FORBIDDEN,
            desc = "The caller returned without the result, without its interrupt status, or having asked "
                    + "to cancel a number of times other than once for an interrupt seen while waiting.")
    @Outcome(expect = FORBIDDEN, desc = "jcstress reports nothing else for a termination test.")
    @State
    public static class InterruptedCallerStillWakes {
        private final OperationQueue queue = new OperationQueue();
        private final Operation operation = StandInPoller.read();
        private Thread caller;
        private int cancelRequests;

        @Actor
        public void caller() {
            caller = Thread.currentThread(); // a fresh thread each round: the interrupt leaks nowhere
            StandInPoller.handOver(queue, operation);
            boolean interrupted = operation.awaitDone(() -> cancelRequests++);
            int result = StandInPoller.resultOf(operation);
            if (result != HandOff.RESULT) {
                throw new IllegalStateException("the caller read " + result);
            }
            if (!Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("the interrupt status was lost");
            }
            if (cancelRequests != (interrupted ? 1 : 0)) {
                throw new IllegalStateException(cancelRequests + " cancel requests; interrupted=" + interrupted);
            }
        }

        @Signal
        public void poller() {
            Operation taken = StandInPoller.take(queue);
            caller.interrupt();
            taken.complete(HandOff.RESULT);
        }
    }

    /**
     * Lets the poller side interrupt the caller only while the caller is still inside its actor
     * method: jcstress runs the next round on the same thread, which must not inherit this round's
     * interrupt.
     */
    static final class InterruptGate {
        private static final int OPEN = 0;
        private static final int INTERRUPTING = 1;
        private static final int INTERRUPTED = 2;
        private static final int SHUT = 3;

        private final AtomicInteger state = new AtomicInteger(OPEN);

        /** Poller side: interrupts {@code caller} unless it has left already. */
        void interrupt(Thread caller) {
            if (state.compareAndSet(OPEN, INTERRUPTING)) {
                caller.interrupt();
                state.set(INTERRUPTED);
            }
        }

        /**
         * Caller, last: shuts the gate, lets an interrupt already under way land, and clears the
         * interrupt status.
         *
         * @return whether the poller side interrupted the caller this round
         */
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
}
