package dev.ringpark.poller;

import dev.ringpark.jcstress.Watchdog;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;
import org.openjdk.jcstress.infra.results.ZZI_Result;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The park/unpark hand-off: a caller parks in {@link Operation#awaitDone} until the poller's
 * {@link Operation#complete} (or {@link Operation#fail}) releases the operation's state and unparks
 * it. The package documentation calls this pair "Complete".
 */
public final class HandOff {
    static final int RESULT = 42;

    private HandOff() {
    }

    @JCStressTest
    @Description("Whether completion lands before the caller parks or after, does the caller always return "
            + "from awaitDone with the result, and without reporting an interrupt?")
    @Outcome(id = "true, false, 42", expect = ACCEPTABLE,
            desc = "Completion came before the caller began to wait: awaitDone returned without parking, "
                    + "and the caller read the result.")
    @Outcome(id = "false, false, 42", expect = ACCEPTABLE,
            desc = "The caller began to wait first: it parked (or was about to) and complete()'s unpark "
                    + "woke it; it read the result.")
    @Outcome(id = ".*, true, .*", expect = FORBIDDEN,
            desc = "awaitDone reported an interrupt that nobody sent.")
    @Outcome(id = ".*, -1000", expect = FORBIDDEN,
            desc = "awaitDone returned before the operation was done: a wake-up was taken for a completion.")
    @Outcome(id = ".*, 0", expect = FORBIDDEN,
            desc = "The caller saw DONE but not the result stored before it: the release/acquire pair is broken.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome: a lost, wrong or stale result.")
    @State
    public static class CompletionBeforeOrAfterPark {
        private final OperationQueue queue = new OperationQueue();
        private final Operation operation = StandInPoller.read();

        @Actor
        public void caller(ZZI_Result r) {
            StandInPoller.handOver(queue, operation);
            r.r1 = operation.isDone();
            r.r2 = Watchdog.watch(() -> operation.awaitDone(HandOff::noInterruptExpected));
            r.r3 = StandInPoller.resultOf(operation);
        }

        @Actor
        public void poller() {
            StandInPoller.take(queue).complete(RESULT);
        }
    }

    @JCStressTest
    @Description("A caller whose first park returns at once (a spurious wake-up, here a permit it gave "
            + "itself) must park again until the completion: does it ever leave awaitDone early?")
    @Outcome(id = "true, false, 42", expect = ACCEPTABLE,
            desc = "Completion came before the caller began to wait; the stray permit was never used.")
    @Outcome(id = "false, false, 42", expect = ACCEPTABLE,
            desc = "The spurious wake-up was ignored: the caller waited on until completion and read the result.")
    @Outcome(id = ".*, -1000", expect = FORBIDDEN,
            desc = "awaitDone returned on the spurious wake-up, before the operation was done.")
    @Outcome(id = ".*, true, .*", expect = FORBIDDEN,
            desc = "awaitDone reported an interrupt that nobody sent.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome: a lost, wrong or stale result.")
    @State
    public static class SpuriousWakeUpKeepsWaiting {
        private final OperationQueue queue = new OperationQueue();
        private final Operation operation = StandInPoller.read();

        @Actor
        public void caller(ZZI_Result r) {
            StandInPoller.handOver(queue, operation);
            LockSupport.unpark(Thread.currentThread());
            r.r1 = operation.isDone();
            r.r2 = Watchdog.watch(() -> operation.awaitDone(HandOff::noInterruptExpected));
            r.r3 = StandInPoller.resultOf(operation);
        }

        @Actor
        public void poller() {
            StandInPoller.take(queue).complete(RESULT);
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("Lost wake-up: once complete() has run, does a caller parked in awaitDone always return?")
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE,
            desc = "complete() woke the parked caller, or came first and the caller never parked.")
    @Outcome(id = "STALE", expect = FORBIDDEN,
            desc = "Lost wake-up: the operation completed but its caller stays parked.")
    @Outcome(id = "ERROR", expect = FORBIDDEN,
            desc = "The caller returned from awaitDone without the result, or reported an interrupt.")
    @Outcome(expect = FORBIDDEN, desc = "jcstress reports nothing else for a termination test.")
    @State
    public static class ParkedCallerAlwaysWakes {
        private final OperationQueue queue = new OperationQueue();
        private final Operation operation = StandInPoller.read();

        @Actor
        public void caller() {
            StandInPoller.handOver(queue, operation);
            if (operation.awaitDone(HandOff::noInterruptExpected)) {
                throw new IllegalStateException("awaitDone reported an interrupt that nobody sent");
            }
            int result = StandInPoller.resultOf(operation);
            if (result != RESULT) {
                throw new IllegalStateException("the caller read " + result + " instead of " + RESULT);
            }
        }

        @Signal
        public void poller() {
            StandInPoller.take(queue).complete(RESULT);
        }
    }

    @JCStressTest
    @Description("complete() stores the result, then releases DONE; isDone() acquires it. Does a caller "
            + "that sees the operation done always see its result?")
    @Outcome(id = "-1", expect = ACCEPTABLE, desc = "The caller looked before completion: not done yet.")
    @Outcome(id = "42", expect = ACCEPTABLE, desc = "The caller saw DONE and the result stored before it.")
    @Outcome(id = "0", expect = FORBIDDEN,
            desc = "The caller saw DONE but not the result: the release/acquire pair is broken.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome: a result nobody stored.")
    @State
    public static class ResultVisibleOnceDone {
        private final Operation operation = StandInPoller.read();

        @Actor
        public void poller() {
            operation.complete(RESULT); // no waiter was set: the unpark is a no-op
        }

        @Actor
        public void caller(I_Result r) {
            r.r1 = operation.isDone() ? StandInPoller.resultOf(operation) : -1;
        }
    }

    @JCStressTest
    @Description("fail() stores the failure and whether the kernel held the operation, then releases DONE. "
            + "Does a caller that sees the operation done always get the failure rather than a result, and "
            + "learn that the kernel may have run it (so that its memory is retired, not reused)?")
    @Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "The caller looked before the failure: not done yet.")
    @Outcome(id = "-1001, 1", expect = ACCEPTABLE,
            desc = "The caller saw DONE, result() threw the failure, and mayHaveRun() said the kernel may "
                    + "have run the operation.")
    @Outcome(id = "0, .*", expect = FORBIDDEN,
            desc = "The caller saw DONE but not the failure, and took the empty result for a success.")
    @Outcome(id = "-1001, 0", expect = FORBIDDEN,
            desc = "The caller saw the failure but not that the kernel held the operation: it would reuse "
                    + "memory the kernel may still write into.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome: a result nobody stored.")
    @State
    public static class FailureVisibleOnceDone {
        private final Operation operation = StandInPoller.read();
        private final IOException failure = new IOException("the poller failed");

        @Actor
        public void poller() {
            operation.fail(failure, true);
        }

        @Actor
        public void caller(II_Result r) {
            if (operation.isDone()) {
                r.r1 = StandInPoller.resultOf(operation);
                r.r2 = operation.mayHaveRun() ? 1 : 0;
            } else {
                r.r1 = -1;
                r.r2 = -1;
            }
        }
    }

    /** The onInterrupt of a test in which nobody interrupts. */
    static void noInterruptExpected() {
        throw new IllegalStateException("onInterrupt ran, but nobody interrupted the caller");
    }
}
