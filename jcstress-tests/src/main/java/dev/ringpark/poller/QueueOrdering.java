package dev.ringpark.poller;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIZ_Result;
import org.openjdk.jcstress.infra.results.ZZL_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The multi-producer hand-off of {@link OperationQueue}: producers push with a CAS on the head, the
 * poller takes the whole stack with one {@code getAndSet} and reverses it. Nothing may be lost or
 * taken twice, and each producer's operations come out in the order it pushed them.
 *
 * <p>jcstress runs at most as many actors as there are CPUs (CI machines may have two), so the
 * three-party race is covered pairwise: two producers against each other, and a producer against
 * the draining poller.
 */
public final class QueueOrdering {
    private QueueOrdering() {
    }

    @JCStressTest
    @Description("Two producers push two operations each onto a queue whose poller is awake; then the poller "
            + "drains. Is every operation there once, each producer's in its own order, and was no producer "
            + "told to wake the poller?")
    @Outcome(id = "true, true, a1 a2 b1 b2", expect = ACCEPTABLE, desc = "A pushed both before B pushed any.")
    @Outcome(id = "true, true, a1 b1 a2 b2", expect = ACCEPTABLE, desc = "Alternating pushes, A first.")
    @Outcome(id = "true, true, a1 b1 b2 a2", expect = ACCEPTABLE, desc = "B pushed both between A's two.")
    @Outcome(id = "true, true, b1 a1 a2 b2", expect = ACCEPTABLE, desc = "A pushed both between B's two.")
    @Outcome(id = "true, true, b1 a1 b2 a2", expect = ACCEPTABLE, desc = "Alternating pushes, B first.")
    @Outcome(id = "true, true, b1 b2 a1 a2", expect = ACCEPTABLE, desc = "B pushed both before A pushed any.")
    @Outcome(id = "false, .*", expect = FORBIDDEN, desc = "A was told to wake a poller that is awake.")
    @Outcome(id = ".*, false, .*", expect = FORBIDDEN, desc = "B was told to wake a poller that is awake.")
    @Outcome(expect = FORBIDDEN,
            desc = "An operation lost or taken twice, a producer's operations out of order, or a marker "
                    + "in the chain.")
    @State
    public static class TwoProducers {
        private final OperationQueue queue = new OperationQueue();
        private final Operation a1 = StandInPoller.named("a1");
        private final Operation a2 = StandInPoller.named("a2");
        private final Operation b1 = StandInPoller.named("b1");
        private final Operation b2 = StandInPoller.named("b2");

        @Actor
        public void producerA(ZZL_Result r) {
            boolean first = queue.offer(a1) == OperationQueue.Offer.QUEUED;
            boolean second = queue.offer(a2) == OperationQueue.Offer.QUEUED;
            r.r1 = first && second;
        }

        @Actor
        public void producerB(ZZL_Result r) {
            boolean first = queue.offer(b1) == OperationQueue.Offer.QUEUED;
            boolean second = queue.offer(b2) == OperationQueue.Offer.QUEUED;
            r.r2 = first && second;
        }

        @Arbiter
        public void poller(ZZL_Result r) {
            r.r3 = StandInPoller.describe(queue.drain());
        }
    }

    @JCStressTest
    @Description("A producer pushes p1, p2, p3 while the poller drains twice; a last drain takes the rest. "
            + "Whatever the drains split, do the three come out exactly once and in the order pushed?")
    @Outcome(id = "[0-3], [0-3], true", expect = ACCEPTABLE,
            desc = "Every operation came out once, in the order pushed; the first two numbers say how many "
                    + "the poller's first and second drains took while the producer was pushing.")
    @Outcome(id = ".*, false", expect = FORBIDDEN,
            desc = "Across the three drains an operation was lost, taken twice, reordered, or a marker "
                    + "appeared in a chain.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome: a drain took more than was pushed.")
    @State
    public static class ProducerAndPoller {
        private final OperationQueue queue = new OperationQueue();
        private final Operation p1 = StandInPoller.named("p1");
        private final Operation p2 = StandInPoller.named("p2");
        private final Operation p3 = StandInPoller.named("p3");
        private String firstDrain;
        private String secondDrain;

        @Actor
        public void producer() {
            queue.offer(p1);
            queue.offer(p2);
            queue.offer(p3);
        }

        @Actor
        public void poller(IIZ_Result r) {
            firstDrain = StandInPoller.describe(queue.drain());
            secondDrain = StandInPoller.describe(queue.drain());
            r.r1 = count(firstDrain);
            r.r2 = count(secondDrain);
        }

        @Arbiter
        public void lastDrain(IIZ_Result r) {
            String all = String.join(" ", firstDrain, secondDrain, StandInPoller.describe(queue.drain()));
            r.r3 = all.replace("-", " ").trim().replaceAll(" +", " ").equals("p1 p2 p3");
        }

        private static int count(String chain) {
            return chain.equals("-") ? 0 : chain.split(" ").length;
        }
    }
}
