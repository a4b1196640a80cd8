package dev.ringpark.jcstress;

import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.FileSystemTraits;
import dev.ringpark.poller.FileType;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The close gate of {@link FileHandle} ("Close" in the poller's package documentation): an
 * operation either enters before close begins, and close waits until it has left, or is refused.
 * A descriptor closed while an operation that entered is still inside could be reused under it.
 */
public final class FileHandleCloseGate {
    /** Where the operation is, as the closer sees it after awaitIdle(). */
    static final int NOT_ENTERED = 0;
    static final int INSIDE = 1;
    static final int LEFT = 2;

    private FileHandleCloseGate() {
    }

    @JCStressTest
    @Description("An operation enters (and leaves, if it got in) while a closer begins closing and waits "
            + "for idleness. Does close ever let an operation in after it began, or return while one is "
            + "inside?")
    @Outcome(id = "1, 0, 1, 2", expect = ACCEPTABLE,
            desc = "The operation entered before close began, and awaitIdle() returned only after it left.")
    @Outcome(id = "1, 1, 1, 2", expect = ACCEPTABLE,
            desc = "Close began while the operation was inside (it saw isClosing()); awaitIdle() returned "
                    + "only after it left.")
    @Outcome(id = "0, 0, 1, 0", expect = ACCEPTABLE, desc = "Close began first: enter() refused the operation.")
    @Outcome(id = "1, .*, 1, 1", expect = FORBIDDEN,
            desc = "awaitIdle() returned while the operation was still inside: the descriptor could be closed "
                    + "and reused under it.")
    @Outcome(id = "1, .*, 1, 0", expect = FORBIDDEN,
            desc = "The operation entered after close began (awaitIdle() had returned without waiting for it).")
    @Outcome(id = ".*, .*, 0, .*", expect = FORBIDDEN, desc = "beginClose() refused the only closer.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome: an impossible combination.")
    @State
    public static class EnterVersusClose {
        private final FileHandle handle = new FileHandle(-1, FileHandle.IoMode.BUFFERED, FileType.UNKNOWN, FileSystemTraits.UNKNOWN, true);
        private volatile int progress = NOT_ENTERED;

        /** Results 1 and 2: whether it entered, and whether it saw the handle closing while inside. */
        @Actor
        public void operation(IIII_Result r) {
            if (handle.enter()) {
                progress = INSIDE;
                r.r1 = 1;
                r.r2 = handle.isClosing() ? 1 : 0;
                progress = LEFT;
                handle.exit();
            }
        }

        /** Results 3 and 4: whether it owns the close, and where the operation was once idle. */
        @Actor
        public void closer(IIII_Result r) {
            r.r3 = handle.beginClose() ? 1 : 0;
            Watchdog.watch(handle::awaitIdle);
            r.r4 = progress;
        }
    }

    @JCStressTest
    @Description("An operation enters and leaves while a closer begins closing and asks isIdle(), which "
            + "lets it skip cancelling. Does isIdle() ever say true while the operation is inside, or "
            + "before an operation that then gets in?")
    @Outcome(id = "1, 1, 2", expect = ACCEPTABLE, desc = "The operation had left: idle, nothing to cancel.")
    @Outcome(id = {"1, 0, 0", "1, 0, 1", "1, 0, 2"}, expect = ACCEPTABLE,
            desc = "The operation was inside when the closer looked: not idle, so the closer cancels and waits.")
    @Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "Close began first: enter() refused the operation.")
    @Outcome(id = {"1, 1, 0", "1, 1, 1"}, expect = FORBIDDEN,
            desc = "isIdle() said true with the operation inside or about to enter: the closer would close "
                    + "the descriptor under it without cancelling or waiting.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome: an impossible combination.")
    @State
    public static class IdleMeansNothingInside {
        private final FileHandle handle = new FileHandle(-1, FileHandle.IoMode.BUFFERED, FileType.UNKNOWN, FileSystemTraits.UNKNOWN, true);
        private volatile int progress = NOT_ENTERED;

        /** Result 1: whether it entered. */
        @Actor
        public void operation(III_Result r) {
            if (handle.enter()) {
                progress = INSIDE;
                r.r1 = 1;
                progress = LEFT;
                handle.exit();
            }
        }

        /** Results 2 and 3: what isIdle() said, and where the operation was just after. */
        @Actor
        public void closer(III_Result r) {
            if (!handle.beginClose()) {
                throw new IllegalStateException("beginClose() refused the only closer");
            }
            r.r2 = handle.isIdle() ? 1 : 0;
            r.r3 = progress;
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("Lost wake-up: one operation is inside; the closer begins closing and parks in awaitIdle() "
            + "while the operation leaves. Does the last exit always wake the closer?")
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE,
            desc = "The exit woke the parked closer, or came first and the closer never parked.")
    @Outcome(id = "STALE", expect = FORBIDDEN,
            desc = "Lost wake-up: the last operation left but the closer stays parked; close() hangs.")
    @Outcome(id = "ERROR", expect = FORBIDDEN,
            desc = "awaitIdle() returned before the operation left, or beginClose() refused the only closer.")
    @Outcome(expect = FORBIDDEN, desc = "jcstress reports nothing else for a termination test.")
    @State
    public static class LastExitWakesCloser {
        private final FileHandle handle = new FileHandle(-1, FileHandle.IoMode.BUFFERED, FileType.UNKNOWN, FileSystemTraits.UNKNOWN, true);
        private volatile boolean left;

        public LastExitWakesCloser() {
            if (!handle.enter()) {
                throw new IllegalStateException("a fresh handle refused an operation");
            }
        }

        @Actor
        public void closer() {
            if (!handle.beginClose()) {
                throw new IllegalStateException("beginClose() refused the only closer");
            }
            handle.awaitIdle();
            if (!left) {
                throw new IllegalStateException("awaitIdle() returned while an operation was inside");
            }
        }

        @Signal
        public void operationLeaves() {
            left = true;
            handle.exit();
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("The closer is interrupted as it begins to wait in awaitIdle(). Does it keep waiting until "
            + "the last operation leaves, return then, and keep its interrupt status?")
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE,
            desc = "The closer waited through the interrupt and returned once the operation left.")
    @Outcome(id = "STALE", expect = FORBIDDEN,
            desc = "Lost wake-up: the interrupt left the closer parked after the last exit.")
    @Outcome(id = "ERROR", expect = FORBIDDEN,
            desc = "awaitIdle() returned before the operation left, or the interrupt status was lost.")
    @Outcome(expect = FORBIDDEN, desc = "jcstress reports nothing else for a termination test.")
    @State
    public static class InterruptedCloserKeepsWaiting {
        private final FileHandle handle = new FileHandle(-1, FileHandle.IoMode.BUFFERED, FileType.UNKNOWN, FileSystemTraits.UNKNOWN, true);
        private volatile boolean left;

        public InterruptedCloserKeepsWaiting() {
            if (!handle.enter()) {
                throw new IllegalStateException("a fresh handle refused an operation");
            }
        }

        @Actor
        public void closer() {
            if (!handle.beginClose()) {
                throw new IllegalStateException("beginClose() refused the only closer");
            }
            Thread.currentThread().interrupt(); // a fresh thread each round: the interrupt leaks nowhere
            handle.awaitIdle();
            if (!left) {
                throw new IllegalStateException("the interrupt ended awaitIdle() while an operation was inside");
            }
            if (!Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("awaitIdle() lost the interrupt status");
            }
        }

        @Signal
        public void operationLeaves() {
            left = true;
            handle.exit();
        }
    }
}
