package dev.ringpark.poller;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLL_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A failing poller closes its {@link OperationQueue} and fails whatever {@code close()} returns; a
 * producer that offers meanwhile must either be refused (its caller fails at once) or have its
 * operation among those returned (its caller is failed by the poller). An operation accepted but
 * not returned would leave its caller parked for ever.
 */
public final class QueueClose {
    private QueueClose() {
    }

    @JCStressTest
    @Description("An awake poller closes the queue while a producer offers; then a late producer offers. "
            + "Is the operation either refused or handed back by close(), and is everything later refused?")
    @Outcome(id = "-, REFUSED, REFUSED", expect = ACCEPTABLE,
            desc = "close() came first: the producer was refused and its caller fails at once.")
    @Outcome(id = "p1, QUEUED, REFUSED", expect = ACCEPTABLE,
            desc = "The push came first: close() handed it back, and the poller fails it.")
    @Outcome(id = "-, QUEUED.*", expect = FORBIDDEN,
            desc = "Stranded: the push was accepted but close() did not hand it back; its caller parks for ever.")
    @Outcome(id = ".*, .*, QUEUED.*", expect = FORBIDDEN, desc = "The closed queue accepted a late operation.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome: a refused operation handed back, or a marker in it.")
    @State
    public static class CloseVersusOffer {
        private final OperationQueue queue = new OperationQueue();
        private final Operation p1 = StandInPoller.named("p1");
        private final Operation p2 = StandInPoller.named("p2");

        @Actor
        public void poller(LLL_Result r) {
            r.r1 = StandInPoller.describe(queue.close());
        }

        @Actor
        public void producer(LLL_Result r) {
            r.r2 = queue.offer(p1).name();
        }

        @Arbiter
        public void lateProducer(LLL_Result r) {
            r.r3 = queue.offer(p2).name();
        }
    }

    @JCStressTest
    @Description("As CloseVersusOffer, for a poller that failed while asleep (io_uring_enter failed): the "
            + "head holds the sleeping marker when close() and the offer race.")
    @Outcome(id = "-, REFUSED, REFUSED", expect = ACCEPTABLE,
            desc = "close() came first: the producer was refused and its caller fails at once.")
    @Outcome(id = "p1, QUEUED_WAKE_POLLER, REFUSED", expect = ACCEPTABLE,
            desc = "The push replaced the sleeping marker first (its wake-up reaches a failing poller, "
                    + "harmlessly); close() handed it back, and the poller fails it.")
    @Outcome(id = "-, QUEUED.*", expect = FORBIDDEN,
            desc = "Stranded: the push was accepted but close() did not hand it back; its caller parks for ever.")
    @Outcome(id = ".*, .*, QUEUED.*", expect = FORBIDDEN, desc = "The closed queue accepted a late operation.")
    @Outcome(expect = FORBIDDEN,
            desc = "Any other outcome: the marker handed back as an operation, or a push that did not see it.")
    @State
    public static class CloseWhileAsleepVersusOffer {
        private final OperationQueue queue = new OperationQueue();
        private final Operation p1 = StandInPoller.named("p1");
        private final Operation p2 = StandInPoller.named("p2");

        public CloseWhileAsleepVersusOffer() {
            if (!queue.trySleep()) {
                throw new IllegalStateException("an empty queue refused to let the poller sleep");
            }
        }

        @Actor
        public void poller(LLL_Result r) {
            r.r1 = StandInPoller.describe(queue.close());
        }

        @Actor
        public void producer(LLL_Result r) {
            r.r2 = queue.offer(p1).name();
        }

        @Arbiter
        public void lateProducer(LLL_Result r) {
            r.r3 = queue.offer(p2).name();
        }
    }
}
