package dev.ringpark.poller;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;
import org.openjdk.jcstress.infra.results.ZLL_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The poller's sleep state in {@link OperationQueue} ("Sleep" in the package documentation): before
 * it blocks in the kernel the poller swaps an empty head for the sleeping marker, and the one producer
 * whose push replaces the marker must wake it. An operation must never be left in the queue of a
 * sleeping poller that nobody was told to wake.
 *
 * <p>The end-to-end counterpart, through a real poller and io_uring, is
 * {@code dev.ringpark.jcstress.PollerWakeUp}.
 */
public final class PollerSleep {
    private PollerSleep() {
    }

    @JCStressTest
    @Description("The poller calls trySleep() while a producer offers. Either the poller sees the operation "
            + "and stays awake, or the producer is told to wake it: is the operation ever stranded?")
    @Outcome(id = "true, QUEUED_WAKE_POLLER, p1", expect = ACCEPTABLE,
            desc = "The poller marked itself asleep first; the producer replaced the marker and is the one "
                    + "to wake it.")
    @Outcome(id = "false, QUEUED, p1", expect = ACCEPTABLE,
            desc = "The producer pushed first; trySleep() saw work, so the poller does not block.")
    @Outcome(id = "true, QUEUED, .*", expect = FORBIDDEN,
            desc = "Stranded: the poller blocks in the kernel and the producer was told not to wake it.")
    @Outcome(id = "false, QUEUED_WAKE_POLLER, .*", expect = FORBIDDEN,
            desc = "The producer was told to wake a poller that did not go to sleep.")
    @Outcome(id = ".*, -", expect = FORBIDDEN, desc = "The operation was lost: the next drain did not return it.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome: a refusal, a marker in the chain, a duplicate.")
    @State
    public static class TrySleepVersusOffer {
        private final OperationQueue queue = new OperationQueue();
        private final Operation p1 = StandInPoller.named("p1");

        @Actor
        public void poller(ZLL_Result r) {
            r.r1 = queue.trySleep();
        }

        @Actor
        public void producer(ZLL_Result r) {
            r.r2 = queue.offer(p1).name();
        }

        @Arbiter
        public void pollerWakes(ZLL_Result r) {
            r.r3 = StandInPoller.describe(queue.drain());
        }
    }

    @JCStressTest
    @Description("The poller is asleep; two producers offer at once. Is exactly one of them, the one whose "
            + "push replaced the marker, told to wake the poller?")
    @Outcome(id = "QUEUED_WAKE_POLLER, QUEUED, a1 b1", expect = ACCEPTABLE,
            desc = "A replaced the marker and wakes the poller; B pushed on top of A and does not.")
    @Outcome(id = "QUEUED, QUEUED_WAKE_POLLER, b1 a1", expect = ACCEPTABLE,
            desc = "B replaced the marker and wakes the poller; A pushed on top of B and does not.")
    @Outcome(id = "QUEUED, QUEUED, .*", expect = FORBIDDEN,
            desc = "Stranded: both operations wait in the queue of a sleeping poller that nobody wakes.")
    @Outcome(id = "QUEUED_WAKE_POLLER, QUEUED_WAKE_POLLER, .*", expect = FORBIDDEN,
            desc = "Both replaced the marker: one push overwrote the other's.")
    @Outcome(expect = FORBIDDEN,
            desc = "Any other outcome: an operation lost, duplicated or out of push order, or a marker in "
                    + "the chain.")
    @State
    public static class TwoOffersWhileAsleep {
        private final OperationQueue queue = new OperationQueue();
        private final Operation a1 = StandInPoller.named("a1");
        private final Operation b1 = StandInPoller.named("b1");

        public TwoOffersWhileAsleep() {
            if (!queue.trySleep()) {
                throw new IllegalStateException("an empty queue refused to let the poller sleep");
            }
        }

        @Actor
        public void producerA(LLL_Result r) {
            r.r1 = queue.offer(a1).name();
        }

        @Actor
        public void producerB(LLL_Result r) {
            r.r2 = queue.offer(b1).name();
        }

        @Arbiter
        public void pollerWakes(LLL_Result r) {
            r.r3 = StandInPoller.describe(queue.drain());
        }
    }

    @JCStressTest
    @Description("The poller is asleep and wakes (say, for a completion) and drains, while a producer "
            + "offers; a later drain takes what is left. Is the operation always taken, by one drain or the "
            + "other, and is its producer told to wake the poller exactly when it pushed before the drain?")
    @Outcome(id = "p1, QUEUED_WAKE_POLLER, -", expect = ACCEPTABLE,
            desc = "The push replaced the marker, then the drain took it; the wake-up the producer sends only "
                    + "cuts the poller's next sleep short.")
    @Outcome(id = "-, QUEUED, p1", expect = ACCEPTABLE,
            desc = "The drain cleared the marker first: the poller is awake, its next trySleep() fails on "
                    + "this push, and the next drain takes it.")
    @Outcome(id = "-, QUEUED_WAKE_POLLER, p1", expect = FORBIDDEN,
            desc = "Impossible: the push replaced the marker, so it came before the drain, which yet did not "
                    + "take it.")
    @Outcome(id = "p1, QUEUED, -", expect = FORBIDDEN,
            desc = "Impossible: a push that did not replace the marker came after the drain, which yet took it.")
    @Outcome(id = "-, .*, -", expect = FORBIDDEN, desc = "The operation was lost: neither drain returned it.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome: a refusal, a duplicate, or a marker in a chain.")
    @State
    public static class WakingPollerVersusOffer {
        private final OperationQueue queue = new OperationQueue();
        private final Operation p1 = StandInPoller.named("p1");

        public WakingPollerVersusOffer() {
            if (!queue.trySleep()) {
                throw new IllegalStateException("an empty queue refused to let the poller sleep");
            }
        }

        @Actor
        public void poller(LLL_Result r) {
            r.r1 = StandInPoller.describe(queue.drain());
        }

        @Actor
        public void producer(LLL_Result r) {
            r.r2 = queue.offer(p1).name();
        }

        @Arbiter
        public void nextDrain(LLL_Result r) {
            r.r3 = StandInPoller.describe(queue.drain());
        }
    }
}
