package dev.ringpark.poller;

import dev.ringpark.jcstress.Watchdog;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A deadline passing while the caller waits in {@link Operation#awaitDone} for its operation, racing
 * the operation's completion: the timed wait a caller makes when its operation has a deadline and
 * the driver does not time operations out in the kernel (and, as a backstop, when it does). The
 * contract: the wait ends only once the operation is done, whatever the deadline; cancellation is
 * asked for at most once; no interrupt is reported when none came; and the completion's wake-up is
 * never lost, whether it lands before the timed park, during it, as it times out, or during the
 * untimed park that follows the cancel request.
 *
 * <p>Results, in order: whether {@code awaitDone} reported an interrupt (1) or not (0); how many times
 * it asked for cancellation; the result the caller read ({@value StandInPoller#NOT_DONE} when the
 * operation was not done).
 */
public final class TimeoutRacingCompletion {
    /** How far in the future the deadline of {@link DeadlineSoon} is: about as long as a completion takes here. */
    static final long SOON_NANOS = 20_000;

    private TimeoutRacingCompletion() {
    }

    /** One round: a caller waiting in one operation with a deadline, and the poller side completing it. */
    abstract static class Round {
        final OperationQueue queue = new OperationQueue();
        final Operation operation = StandInPoller.read();
        /** How many times the caller asked for cancellation; only the caller's thread writes it. */
        int cancelRequests;

        void callerWaits(III_Result r, long deadlineFromNowNanos) {
            StandInPoller.handOver(queue, operation);
            long wakeAt = System.nanoTime() + deadlineFromNowNanos;
            r.r1 = Watchdog.watch(() -> operation.awaitDone(() -> cancelRequests++, true, true, wakeAt)) ? 1 : 0;
            r.r2 = cancelRequests;
            r.r3 = StandInPoller.resultOf(operation);
        }

        void pollerCompletes() {
            StandInPoller.take(queue).complete(HandOff.RESULT);
        }
    }

    @JCStressTest
    @Description("The caller waits for an operation whose deadline has just passed, while the poller side "
            + "completes it. Does the caller ask to cancel at most once and always wait for the completion?")
    @Outcome(id = "0, 0, 42", expect = ACCEPTABLE,
            desc = "The completion was in before the caller looked at its deadline: no cancel was asked for.")
    @Outcome(id = "0, 1, 42", expect = ACCEPTABLE,
            desc = "The deadline was seen first: one cancel was asked for, and the wait went on until the "
                    + "completion.")
    @Outcome(id = ".*, -1000", expect = FORBIDDEN,
            desc = "The wait ended at the deadline, before the operation was done: its memory may still be in "
                    + "the kernel's hands, and the kernel may write a buffer its caller has taken back.")
    @Outcome(id = "[01], [2-9], .*", expect = FORBIDDEN,
            desc = "Cancellation was asked for more than once: a second cancel handed over.")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "awaitDone reported an interrupt that nobody sent.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome: a wrong result or an impossible combination.")
    @State
    public static class DeadlinePassed extends Round {
        @Actor
        public void caller(III_Result r) {
            callerWaits(r, 0);
        }

        @Actor
        public void poller() {
            pollerCompletes();
        }
    }

    @JCStressTest
    @Description("As DeadlinePassed with the deadline a few microseconds away, so that the completion lands "
            + "before the timed park, during it, as it times out, or during the untimed park after the cancel.")
    @Outcome(id = "0, 0, 42", expect = ACCEPTABLE,
            desc = "The completion came before the deadline: no cancel was asked for.")
    @Outcome(id = "0, 1, 42", expect = ACCEPTABLE,
            desc = "The deadline passed first: one cancel was asked for, and the wait went on until the "
                    + "completion.")
    @Outcome(id = ".*, -1000", expect = FORBIDDEN,
            desc = "The wait ended at the deadline, before the operation was done.")
    @Outcome(id = "[01], [2-9], .*", expect = FORBIDDEN,
            desc = "Cancellation was asked for more than once.")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "awaitDone reported an interrupt that nobody sent.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome: a wrong result or an impossible combination.")
    @State
    public static class DeadlineSoon extends Round {
        @Actor
        public void caller(III_Result r) {
            callerWaits(r, SOON_NANOS);
        }

        @Actor
        public void poller() {
            pollerCompletes();
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("Lost wake-up under a deadline: the caller's deadline passes while it waits (it asks to "
            + "cancel, then parks without a timeout), and the signal completes the operation. Does the caller "
            + "always return, with the result?")
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE,
            desc = "The caller waited past its deadline and returned once the operation completed.")
    @Outcome(id = "STALE", expect = FORBIDDEN,
            desc = "Lost wake-up: the completion's unpark was consumed by the timed park, or came between the "
                    + "cancel request and the park without a timeout, and the caller parks for ever.")
    @Outcome(id = "ERROR", expect = FORBIDDEN,
            desc = "The caller returned without the result, reported an interrupt, or asked to cancel more "
                    + "than once.")
    @Outcome(expect = FORBIDDEN, desc = "jcstress reports nothing else for a termination test.")
    @State
    public static class TimedOutCallerStillWakes {
        private final OperationQueue queue = new OperationQueue();
        private final Operation operation = StandInPoller.read();
        private int cancelRequests;

        @Actor
        public void caller() {
            StandInPoller.handOver(queue, operation);
            boolean interrupted = operation.awaitDone(() -> cancelRequests++, true, true,
                    System.nanoTime() + SOON_NANOS);
            int result = StandInPoller.resultOf(operation);
            if (result != HandOff.RESULT || interrupted || cancelRequests > 1) {
                throw new IllegalStateException("result " + result + ", interrupted " + interrupted + ", "
                        + cancelRequests + " cancel requests");
            }
        }

        @Signal
        public void poller() {
            pollerCompletes(queue, operation);
        }

        private static void pollerCompletes(OperationQueue queue, Operation operation) {
            Operation taken = StandInPoller.take(queue);
            if (taken != operation) {
                throw new IllegalStateException("took " + taken);
            }
            taken.complete(HandOff.RESULT);
        }
    }
}
