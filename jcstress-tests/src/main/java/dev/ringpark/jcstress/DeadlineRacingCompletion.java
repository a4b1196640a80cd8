package dev.ringpark.jcstress;

import dev.ringpark.poller.Errno;
import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.FileSystemTraits;
import dev.ringpark.poller.FileType;
import dev.ringpark.poller.Operation;
import dev.ringpark.poller.Transfer;
import dev.ringpark.poller.ladder.DriverLadder;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IJJ_Result;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A deadline racing the completion it bounds, end to end on a real poller: the caller reads an
 * eventfd with a deadline a few microseconds away while the other actor writes it. On io_uring the
 * kernel's linked timeout cancels the read; on the thread-pool and AIO drivers (an eventfd's read
 * runs on the pool) the caller cancels it at its deadline. Whoever wins, the outcome must be whole:
 * either the read took the count (its buffer holds it, the eventfd is empty), or it was cancelled
 * (its buffer untouched, the count still in the eventfd for the next reader). A read reported
 * cancelled whose buffer was written, or whose count vanished, is a buffer written after its call
 * returned or data lost; any other result is an operation completed with another's answer (its
 * timeout's, say) or twice.
 *
 * <p>Results, in order: what the read returned (8, or -125 for {@code -ECANCELED}; -1000 when the
 * call returned before its operation was done); what its buffer holds afterwards (1, or the sentinel
 * -1); what the arbiter then drained from the eventfd (1, or 0 when empty).
 */
public final class DeadlineRacingCompletion {
    /** The read's deadline, from when the caller starts: about as long as a hand-over takes here. */
    static final long DEADLINE_NANOS = 20_000;
    private static final long SENTINEL = -1;

    private DeadlineRacingCompletion() {
    }

    /** One round: an eventfd of its own, the caller's buffer, and the read's result. */
    abstract static class Round {
        private final AtomicInteger fd = new AtomicInteger(-1);
        private final MemorySegment buffer = Arena.ofAuto().allocate(JAVA_LONG);

        Round() {
            buffer.set(JAVA_LONG, 0, SENTINEL);
        }

        /** This round's eventfd, taken by whichever actor gets here first. */
        int fd() {
            int current = fd.get();
            if (current >= 0) {
                return current;
            }
            int taken = Eventfds.take();
            if (fd.compareAndSet(-1, taken)) {
                return taken;
            }
            Eventfds.giveBackUnused(taken);
            return fd.get();
        }

        void caller(IJJ_Result r, DriverLadder.Rung rung) {
            FileHandle handle = new FileHandle(fd(), FileHandle.IoMode.STREAM, FileType.UNKNOWN,
                    FileSystemTraits.UNKNOWN, false);
            Operation read = new Transfer(handle, Transfer.Direction.READ, buffer.address(), 8, -1)
                    .setDeadlineNanos(System.nanoTime() + DEADLINE_NANOS);
            r.r1 = Watchdog.watch(() -> execute(rung, read));
        }

        void writer() {
            Eventfds.signal(fd());
        }

        void arbiter(IJJ_Result r) {
            r.r2 = buffer.get(JAVA_LONG, 0);
            r.r3 = Eventfds.drainAndGiveBack(fd());
        }
    }

    /** What the caller gets back: the result, or -1000 when the call returned before the operation was done. */
    static int execute(DriverLadder.Rung rung, Operation operation) {
        try {
            return PollerWakeUp.SharedPollers.on(rung).execute(operation);
        } catch (IOException e) {
            throw new UncheckedIOException("the poller failed", e);
        } catch (IllegalStateException notDone) {
            return -1000;
        }
    }

    @JCStressTest
    @Description("On io_uring, a read of an eventfd linked to a timeout of 20 us races a write of the eventfd. "
            + "Is every outcome whole: the count read, or the read cancelled and the count left?")
    @Outcome(id = "8, 1, 0", expect = ACCEPTABLE, desc = "The read took the count before its deadline.")
    @Outcome(id = "-125, -1, 1", expect = ACCEPTABLE,
            desc = "The timeout cancelled the read before the count came; the count is left for the next reader.")
    @Outcome(id = "-125, 1, .*", expect = FORBIDDEN,
            desc = "A read reported cancelled wrote its buffer: the kernel wrote it after the call returned.")
    @Outcome(id = "-125, -1, 0", expect = FORBIDDEN,
            desc = "A read reported cancelled consumed the count: data lost.")
    @Outcome(id = "-1000, .*", expect = FORBIDDEN,
            desc = "The call returned before its operation was done.")
    @Outcome(expect = FORBIDDEN,
            desc = "Any other outcome: the read completed with another answer than its own (its timeout's -62, "
                    + "say) or twice.")
    @State
    @NeedsDriver(DriverLadder.Rung.IO_URING)
    public static class OnIoUring extends Round {
        @Actor
        public void caller(IJJ_Result r) {
            caller(r, DriverLadder.Rung.IO_URING);
        }

        @Actor
        public void writer() {
            super.writer();
        }

        @Arbiter
        public void arbiter(IJJ_Result r) {
            super.arbiter(r);
        }
    }

    @JCStressTest
    @Description("As OnIoUring on the thread-pool driver, where the waiting caller cancels the read at its "
            + "deadline and the pool's worker stops waiting in poll.")
    @Outcome(id = "8, 1, 0", expect = ACCEPTABLE, desc = "The read took the count before its deadline.")
    @Outcome(id = "-125, -1, 1", expect = ACCEPTABLE,
            desc = "The caller's cancel stopped the read before the count came; the count is left.")
    @Outcome(id = "-125, 1, .*", expect = FORBIDDEN,
            desc = "A read reported cancelled wrote its buffer: written after the call returned.")
    @Outcome(id = "-125, -1, 0", expect = FORBIDDEN, desc = "A read reported cancelled consumed the count.")
    @Outcome(id = "-1000, .*", expect = FORBIDDEN, desc = "The call returned before its operation was done.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome: a wrong or doubled completion.")
    @State
    public static class OnThreads extends Round {
        @Actor
        public void caller(IJJ_Result r) {
            caller(r, DriverLadder.Rung.THREADS);
        }

        @Actor
        public void writer() {
            super.writer();
        }

        @Arbiter
        public void arbiter(IJJ_Result r) {
            super.arbiter(r);
        }
    }

    @JCStressTest
    @Description("As OnThreads on the AIO driver, whose pool runs reads of an eventfd.")
    @Outcome(id = "8, 1, 0", expect = ACCEPTABLE, desc = "The read took the count before its deadline.")
    @Outcome(id = "-125, -1, 1", expect = ACCEPTABLE,
            desc = "The caller's cancel stopped the read before the count came; the count is left.")
    @Outcome(id = "-125, 1, .*", expect = FORBIDDEN,
            desc = "A read reported cancelled wrote its buffer: written after the call returned.")
    @Outcome(id = "-125, -1, 0", expect = FORBIDDEN, desc = "A read reported cancelled consumed the count.")
    @Outcome(id = "-1000, .*", expect = FORBIDDEN, desc = "The call returned before its operation was done.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome: a wrong or doubled completion.")
    @State
    @NeedsDriver(DriverLadder.Rung.AIO)
    public static class OnAio extends Round {
        @Actor
        public void caller(IJJ_Result r) {
            caller(r, DriverLadder.Rung.AIO);
        }

        @Actor
        public void writer() {
            super.writer();
        }

        @Arbiter
        public void arbiter(IJJ_Result r) {
            super.arbiter(r);
        }
    }

    @JCStressTest(Mode.Termination)
    @Description("Lost wake-up under a linked timeout: reads of an eventfd nobody writes, each with a deadline "
            + "of 20 us, one after the other on io_uring. Does every one return, cancelled?")
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE,
            desc = "Every read returned -ECANCELED once its timeout fired and the kernel answered it.")
    @Outcome(id = "STALE", expect = FORBIDDEN,
            desc = "Lost wake-up: a read's completion never reached its caller (its timeout's did, or neither).")
    @Outcome(id = "ERROR", expect = FORBIDDEN, desc = "A read returned something other than -ECANCELED.")
    @Outcome(expect = FORBIDDEN, desc = "jcstress reports nothing else for a termination test.")
    @State
    @NeedsDriver(DriverLadder.Rung.IO_URING)
    public static class TimedOutReadsAlwaysReturn {
        private final MemorySegment buffer = Arena.ofAuto().allocate(JAVA_LONG);

        @Actor
        public void caller() {
            for (int i = 0; i < 8; i++) {
                Operation read = new Transfer(SlotReuse.IdleEventfd.HANDLE, Transfer.Direction.READ, buffer.address(),
                        8, -1).setDeadlineNanos(System.nanoTime() + DEADLINE_NANOS);
                int result = execute(DriverLadder.Rung.IO_URING, read);
                if (result != -Errno.ECANCELED) {
                    throw new IllegalStateException("a timed-out read returned " + result);
                }
            }
        }

        @Signal
        public void nothingToSignal() {
            // The kernel's timeout is the only signal the reads need.
        }
    }
}
