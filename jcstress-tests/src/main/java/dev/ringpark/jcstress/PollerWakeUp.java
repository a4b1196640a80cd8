package dev.ringpark.jcstress;

import dev.ringpark.poller.Close;
import dev.ringpark.poller.Errno;
import dev.ringpark.poller.Poller;
import dev.ringpark.poller.ladder.DriverLadder;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.io.UncheckedIOException;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The sleep and wake-up protocol end to end: callers hand operations to a real {@link Poller} on
 * io_uring (and, in the {@code On*} variants, on the other drivers), which goes to sleep in {@code io_uring_enter} whenever it has nothing to do. An operation
 * handed over while the poller is on its way to sleep must wake it; otherwise its caller parks for
 * ever. Each operation is {@code close(-1)}, which the kernel answers at once with {@code -EBADF}.
 *
 * <p>One poller per driver serves the whole fork (jcstress runs each test in a JVM of its own): a poller per
 * round would leave a thread and a ring behind each time. The forks need
 * {@code --enable-native-access=ALL-UNNAMED}, which the suite passes with {@code -jvmArgsPrepend}.
 */
public final class PollerWakeUp {
    /** What {@code close(-1)} returns. */
    static final int EBADF = -Errno.EBADF;
    /** Operations in a row per termination round: each one races the poller going back to sleep. */
    static final int OPERATIONS_PER_ROUND = 32;

    private PollerWakeUp() {
    }

    /**
     * One poller per driver, each started on first use (merely loading the tests starts nothing). A
     * poller that cannot start makes every caller throw, which jcstress reports as an error rather
     * than as a hang.
     */
    static final class SharedPollers {
        private static final Map<DriverLadder.Rung, Poller> POLLERS = new ConcurrentHashMap<>();

        private SharedPollers() {
        }

        static Poller on(DriverLadder.Rung rung) {
            return POLLERS.computeIfAbsent(rung, r -> {
                try {
                    return Poller.start("ringpark-jcstress-" + r.label(), DriverLadder.forced(r, new DriverLadder.Settings(8, 2, 0)));
                } catch (IOException e) {
                    throw new IllegalStateException("the end-to-end jcstress tests need " + r.label() + ": " + e, e);
                }
            });
        }
    }

    static int closeBadDescriptor(DriverLadder.Rung rung) {
        try {
            return SharedPollers.on(rung).execute(new Close(-1));
        } catch (IOException e) {
            throw new UncheckedIOException("the poller failed", e);
        }
    }

    /** Hands over {@link #OPERATIONS_PER_ROUND} operations one after the other on {@code rung}'s poller. */
    static void handOverInARow(DriverLadder.Rung rung) {
        for (int i = 0; i < OPERATIONS_PER_ROUND; i++) {
            int result = closeBadDescriptor(rung);
            if (result != EBADF) {
                throw new IllegalStateException("close(-1) returned " + result);
            }
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("A caller hands over operations one after another, each arriving as the poller finishes "
            + "the previous one and goes back to sleep. Does every one of them complete?")
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE,
            desc = "Every operation completed with -EBADF: none was stranded by the poller going to sleep.")
    @Outcome(id = "STALE", expect = FORBIDDEN,
            desc = "Lost wake-up: an operation waits in the queue of a sleeping poller and its caller parks "
                    + "for ever.")
    @Outcome(id = "ERROR", expect = FORBIDDEN,
            desc = "An operation returned something other than -EBADF, or the poller failed.")
    @Outcome(expect = FORBIDDEN, desc = "jcstress reports nothing else for a termination test.")
    @State
    @NeedsDriver(DriverLadder.Rung.IO_URING)
    public static class SubmissionsNeverStrand {
        @Actor
        public void caller() {
            handOverInARow(DriverLadder.Rung.IO_URING);
        }

        @Signal
        public void nothingToSignal() {
            // The caller must finish on its own; the poller's wake-up is the only signal it needs.
        }
    }

    @JCStressTest
    @Description("Two callers hand over an operation each, racing each other and the poller's way to "
            + "sleep. Do both complete, each with its own result?")
    @Outcome(id = "-9, -9", expect = ACCEPTABLE, desc = "Both operations completed with -EBADF.")
    @Outcome(expect = FORBIDDEN,
            desc = "An operation completed with another result (a lost wake-up shows as a timeout instead).")
    @State
    @NeedsDriver(DriverLadder.Rung.IO_URING)
    public static class TwoCallers {
        @Actor
        public void first(II_Result r) {
            r.r1 = Watchdog.watch(() -> closeBadDescriptor(DriverLadder.Rung.IO_URING));
        }

        @Actor
        public void second(II_Result r) {
            r.r2 = Watchdog.watch(() -> closeBadDescriptor(DriverLadder.Rung.IO_URING));
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("As SubmissionsNeverStrand, on the thread-pool driver: the poller parks itself, and a "
            + "worker's completion or a caller's hand-over must unpark it.")
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "Every operation completed with -EBADF.")
    @Outcome(id = "STALE", expect = FORBIDDEN,
            desc = "Lost wake-up: the poller stays parked with a completion queued or an operation handed over.")
    @Outcome(id = "ERROR", expect = FORBIDDEN,
            desc = "An operation returned something other than -EBADF, or the poller failed.")
    @Outcome(expect = FORBIDDEN, desc = "jcstress reports nothing else for a termination test.")
    @State
    public static class SubmissionsNeverStrandOnThreads {
        @Actor
        public void caller() {
            handOverInARow(DriverLadder.Rung.THREADS);
        }

        @Signal
        public void nothingToSignal() {
            // As in SubmissionsNeverStrand.
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("As SubmissionsNeverStrand, on the AIO driver, whose poller blocks reading an eventfd "
            + "that AIO completions, pool workers and hand-overs all signal (close goes to its pool).")
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "Every operation completed with -EBADF.")
    @Outcome(id = "STALE", expect = FORBIDDEN,
            desc = "Lost wake-up: the poller blocks on the eventfd with a completion queued.")
    @Outcome(id = "ERROR", expect = FORBIDDEN,
            desc = "An operation returned something other than -EBADF, or the poller failed.")
    @Outcome(expect = FORBIDDEN, desc = "jcstress reports nothing else for a termination test.")
    @State
    @NeedsDriver(DriverLadder.Rung.AIO)
    public static class SubmissionsNeverStrandOnAio {
        @Actor
        public void caller() {
            handOverInARow(DriverLadder.Rung.AIO);
        }

        @Signal
        public void nothingToSignal() {
            // As in SubmissionsNeverStrand.
        }
    }
}
