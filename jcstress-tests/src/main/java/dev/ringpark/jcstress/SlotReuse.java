package dev.ringpark.jcstress;

import dev.ringpark.poller.Errno;
import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.FileSystemTraits;
import dev.ringpark.poller.FileType;
import dev.ringpark.poller.Transfer;
import dev.ringpark.poller.ladder.DriverLadder;
import dev.ringpark.poller.linux.LibC;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LL_Result;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Slot and generation reuse, end to end: two callers share the io_uring poller of
 * {@link PollerWakeUp}, whose 8-entry ring has 7 slots, so every slot is taken, freed and taken again
 * within a round. One caller's operations are cancelled (a read of an eventfd nobody writes, made
 * with its interrupt status set), which puts a cancel and two completions through the slots; the
 * other's complete at once with {@code -EBADF}. A completion that reached the operation now holding
 * a reused slot would give one of them the other's result.
 */
@JCStressTest
@Description("Two callers race operations through a 7-slot poller, one of them cancelling each of its own. "
        + "Does every operation get its own result?")
@Outcome(id = "ok, ok", expect = ACCEPTABLE,
        desc = "Every close(-1) returned -EBADF and every cancelled read -ECANCELED.")
@Outcome(expect = FORBIDDEN,
        desc = "An operation got another's result: a completion reached the wrong occupant of a slot.")
@State
@NeedsDriver(DriverLadder.Rung.IO_URING)
public class SlotReuse {
    /** Operations per caller per round. */
    static final int OPERATIONS = 8;
    private static final DriverLadder.Rung DRIVER = DriverLadder.Rung.IO_URING;

    /** An eventfd nobody writes: a read of it waits until cancelled. Shared by every round of the fork. */
    static final class IdleEventfd {
        static final FileHandle HANDLE;

        static {
            Arena arena = Arena.ofAuto();
            int fd = LibC.eventfd(LibC.allocateCallState(arena), 0, LibC.EFD_CLOEXEC);
            if (fd < 0) {
                throw new IllegalStateException("eventfd failed: " + Errno.describe(-fd));
            }
            HANDLE = new FileHandle(fd, FileHandle.IoMode.STREAM, FileType.UNKNOWN, FileSystemTraits.UNKNOWN, true);
        }

        private IdleEventfd() {
        }
    }

    private final MemorySegment counter = Arena.ofAuto().allocate(8, 8);

    @Actor
    public void closer(LL_Result r) {
        r.r1 = "ok";
        for (int i = 0; i < OPERATIONS; i++) {
            int result = Watchdog.watch(() -> PollerWakeUp.closeBadDescriptor(DRIVER));
            if (result != -Errno.EBADF) {
                r.r1 = "close(-1) got " + result;
            }
        }
    }

    @Actor
    public void canceller(LL_Result r) {
        r.r2 = "ok";
        for (int i = 0; i < OPERATIONS; i++) {
            int result = Watchdog.watch(this::cancelledRead);
            if (result != -Errno.ECANCELED) {
                r.r2 = "cancelled read got " + result;
            }
        }
    }

    /** A read the caller cancels at once: its interrupt status is set when it parks. */
    private int cancelledRead() {
        Thread.currentThread().interrupt();
        try {
            return PollerWakeUp.SharedPollers.on(DRIVER).execute(
                    new Transfer(IdleEventfd.HANDLE, Transfer.Direction.READ, counter.address(), 8, -1));
        } catch (IOException e) {
            throw new UncheckedIOException("the poller failed", e);
        } finally {
            Thread.interrupted(); // execute() sets the status again; this caller has noted it
        }
    }
}
