package dev.ringpark;

import dev.ringpark.poller.Errno;
import dev.ringpark.poller.Poller;
import dev.ringpark.poller.ladder.DriverLadder;
import dev.ringpark.poller.linux.LibC;
import dev.ringpark.poller.linux.OpenFlags;
import dev.ringpark.poller.linux.PollFd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Pipes read through a {@link RingFileChannel} opened with {@link RingOpenOption#INTERRUPT_CANCELS_CALL},
 * for the jcstress tests whose actors race a cancelled read against a write, one pipe per round. It
 * lives in {@code dev.ringpark} to open channels on a poller of a chosen driver, one per driver and
 * fork, as {@code PollerWakeUp} does.
 *
 * <p>jcstress makes ten thousand rounds' states at once, more than the process has descriptors for,
 * so pipes are lent: each round takes one the first time an actor touches it, and the second actor
 * to finish it drains it and gives it back; an interrupt that cancels calls leaves the channel open,
 * so the pipe serves round after round. A pipe whose channel was closed (the outcome a test forbids)
 * is closed instead of given back.
 *
 * <p>Lending is bounded: {@link #tryTake} lends none while {@value #MAX_LENT} of a driver's pipes are
 * out. An actor that runs ahead of the other through a stride (a writer that only writes a byte
 * outruns a reader by thousands of rounds in jcstress's default mode) would otherwise hold a pipe,
 * three descriptors, for every round it is ahead, until the process has none left. Waiting for a
 * pipe instead is no answer: an actor of a round that never finishes would hold its pipe for ever.
 */
public final class JcstressPipes {
    /** Pipes of one driver lent at once: three descriptors each. */
    private static final int MAX_LENT = 1024;
    private static final Map<DriverLadder.Rung, Poller> POLLERS = new ConcurrentHashMap<>();
    private static final Map<DriverLadder.Rung, ConcurrentLinkedQueue<Pipe>> FREE = new ConcurrentHashMap<>();
    private static final Map<DriverLadder.Rung, AtomicInteger> LENT = new ConcurrentHashMap<>();

    private JcstressPipes() {
    }

    /** A pipe: the channel reads it, {@link #write()} writes a byte into it, {@link #drain()} empties it. */
    public record Pipe(RingFileChannel channel, int readFd, int writeFd) {
        /** Writes one byte, as a peer would. */
        public void write() {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment callState = LibC.allocateCallState(arena);
                long written = LibC.write(callState, writeFd, arena.allocateFrom(JAVA_BYTE, (byte) 1), 1);
                if (written != 1) {
                    throw new IllegalStateException("write to the pipe: " + written);
                }
            }
        }

        /** Closes the pipe's two ends, once its channel is closed. */
        void closeEnds() {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment callState = LibC.allocateCallState(arena);
                LibC.close(callState, readFd);
                LibC.close(callState, writeFd);
            }
        }

        /** Reads whatever the pipe holds, without waiting; returns how many bytes that was. */
        public int drain() {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment callState = LibC.allocateCallState(arena);
                MemorySegment pollFds = arena.allocate(PollFd.BYTES, 8);
                MemorySegment bytes = arena.allocate(64);
                int drained = 0;
                for (;;) {
                    PollFd.set(pollFds, 0, readFd, LibC.POLLIN);
                    if (LibC.poll(callState, pollFds, 1, 0) <= 0) {
                        return drained;
                    }
                    long n = LibC.read(callState, readFd, bytes, bytes.byteSize());
                    if (n <= 0) {
                        return drained;
                    }
                    drained += (int) n;
                }
            }
        }
    }

    /** A drained pipe whose channel runs on {@code rung}'s poller. */
    public static Pipe take(DriverLadder.Rung rung) {
        AtomicInteger lent = lent(rung);
        lent.incrementAndGet();
        return takeLent(rung, lent);
    }

    /** As {@link #take}, or {@code null} while {@value #MAX_LENT} of {@code rung}'s pipes are out. */
    public static Pipe tryTake(DriverLadder.Rung rung) {
        AtomicInteger lent = lent(rung);
        if (lent.incrementAndGet() > MAX_LENT) {
            lent.decrementAndGet();
            return null;
        }
        return takeLent(rung, lent);
    }

    /** A free pipe, or a new one; {@code lent} already counts it, and stops counting it if none can be had. */
    private static Pipe takeLent(DriverLadder.Rung rung, AtomicInteger lent) {
        try {
            Pipe free = FREE.computeIfAbsent(rung, r -> new ConcurrentLinkedQueue<>()).poll();
            return free != null ? free : open(rung);
        } catch (RuntimeException e) {
            lent.decrementAndGet();
            throw e;
        }
    }

    /**
     * Drains {@code pipe} and gives it back if its channel is still open, else closes its two ends;
     * returns what it drained.
     */
    public static int drainAndGiveBack(DriverLadder.Rung rung, Pipe pipe) {
        int drained = pipe.drain();
        if (pipe.channel().isOpen()) {
            FREE.get(rung).add(pipe);
        } else {
            pipe.closeEnds();
        }
        lent(rung).decrementAndGet();
        return drained;
    }

    private static AtomicInteger lent(DriverLadder.Rung rung) {
        return LENT.computeIfAbsent(rung, r -> new AtomicInteger());
    }

    private static Pipe open(DriverLadder.Rung rung) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = LibC.allocateCallState(arena);
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            long rc = LibC.syscall(callState, 293 /* pipe2 */, fds.address(), OpenFlags.O_CLOEXEC, 0);
            if (rc < 0) {
                throw new IllegalStateException("pipe2 failed: " + Errno.describe((int) -rc));
            }
            int readFd = fds.getAtIndex(JAVA_INT, 0);
            int writeFd = fds.getAtIndex(JAVA_INT, 1);
            // The channel's own open file description of the pipe's read end: the thread-pool driver
            // makes it non-blocking, which must not reach readFd, read by drain().
            RingFileChannel channel = RingFileChannel.open(poller(rung), Path.of("/proc/self/fd/" + readFd),
                    Set.of(StandardOpenOption.READ, RingOpenOption.INTERRUPT_CANCELS_CALL));
            return new Pipe(channel, readFd, writeFd);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a channel on a pipe", e);
        }
    }

    private static Poller poller(DriverLadder.Rung rung) {
        return POLLERS.computeIfAbsent(rung, r -> {
            try {
                return Poller.start("ringpark-jcstress-pipes-" + r.label(),
                        DriverLadder.forced(r, new DriverLadder.Settings(64, 4, 0)));
            } catch (IOException e) {
                throw new IllegalStateException("the jcstress pipe tests need " + r.label() + ": " + e, e);
            }
        });
    }
}
