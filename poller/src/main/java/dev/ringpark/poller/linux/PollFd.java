package dev.ringpark.poller.linux;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct pollfd}: one descriptor {@link LibC#poll} watches.
 *
 * <pre>
 *   0       4       6       8
 *   +-------+-------+-------+
 *   |  fd   |events |revents|
 *   +-------+-------+-------+
 * </pre>
 */
public final class PollFd {
    public static final long BYTES = 8;
    private static final long FD_OFFSET = 0;
    private static final long EVENTS_OFFSET = 4;
    private static final long RETURNED_EVENTS_OFFSET = 6;

    private PollFd() {
    }

    /** Writes entry {@code index} of {@code pollFds}: watch {@code fd} for {@code events}. */
    public static void set(MemorySegment pollFds, int index, int fd, short events) {
        long entry = index * BYTES;
        pollFds.set(JAVA_INT, entry + FD_OFFSET, fd);
        pollFds.set(JAVA_SHORT, entry + EVENTS_OFFSET, events);
        pollFds.set(JAVA_SHORT, entry + RETURNED_EVENTS_OFFSET, (short) 0);
    }

    /** The events the last poll found on entry {@code index}, hang-up and errors included. */
    public static short returnedEvents(MemorySegment pollFds, int index) {
        return pollFds.get(JAVA_SHORT, index * BYTES + RETURNED_EVENTS_OFFSET);
    }
}
