package dev.ringpark.jcstress;

import dev.ringpark.poller.Errno;
import dev.ringpark.poller.linux.LibC;
import dev.ringpark.poller.linux.PollFd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentLinkedQueue;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Eventfds for the end-to-end tests whose two actors race on one descriptor of their own each round:
 * one reads it through the poller, the other writes it. jcstress makes thousands of rounds' states
 * ahead, so a descriptor per state would run the process out of them; instead each round takes one
 * the first time an actor touches it, and its arbiter, having drained it, gives it back.
 */
final class Eventfds {
    private static final ConcurrentLinkedQueue<Integer> FREE = new ConcurrentLinkedQueue<>();

    private Eventfds() {
    }

    /** A drained eventfd, blocking (a ring's read of it waits instead of answering {@code EAGAIN}). */
    static int take() {
        Integer free = FREE.poll();
        if (free != null) {
            return free;
        }
        try (Arena arena = Arena.ofConfined()) {
            int fd = LibC.eventfd(LibC.allocateCallState(arena), 0, LibC.EFD_CLOEXEC);
            if (fd < 0) {
                throw new IllegalStateException("eventfd failed: " + Errno.describe(-fd));
            }
            return fd;
        }
    }

    /**
     * Empties {@code fd} without waiting and gives it back for another round.
     *
     * @return the count it held (0 when empty)
     */
    static long drainAndGiveBack(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = LibC.allocateCallState(arena);
            MemorySegment pollFds = arena.allocate(PollFd.BYTES, 8);
            PollFd.set(pollFds, 0, fd, LibC.POLLIN);
            long count = 0;
            if (LibC.poll(callState, pollFds, 1, 0) > 0) {
                MemorySegment value = arena.allocate(JAVA_LONG);
                if (LibC.read(callState, fd, value, 8) == 8) {
                    count = value.get(JAVA_LONG, 0);
                }
            }
            FREE.add(fd);
            return count;
        }
    }

    /** Gives back an eventfd that was taken and never used. */
    static void giveBackUnused(int fd) {
        FREE.add(fd);
    }

    /** Adds 1 to {@code fd}'s count, as a peer would. */
    static void signal(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, 1L);
            LibC.signalEventfd(fd, one);
        }
    }
}
