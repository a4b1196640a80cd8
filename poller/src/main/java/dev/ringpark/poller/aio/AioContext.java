package dev.ringpark.poller.aio;

import dev.ringpark.poller.Errno;
import dev.ringpark.poller.linux.LibC;
import dev.ringpark.poller.linux.Sysctl;
import dev.ringpark.poller.linux.Timespec;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A Linux AIO context ({@code aio_context_t}) and the system calls on it, which glibc does not wrap.
 * Used by the poller thread alone.
 */
final class AioContext implements AutoCloseable {
    /** The system-call numbers; Linux numbers these per architecture. */
    private record Numbers(long setup, long destroy, long getEvents, long submit) {
        static Numbers forThisMachine() {
            String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
            return switch (arch) {
                case "amd64", "x86_64" -> new Numbers(206, 207, 208, 209);
                case "aarch64" -> new Numbers(0, 1, 4, 2);
                default -> throw new IllegalStateException("Linux AIO system-call numbers unknown for " + arch);
            };
        }
    }

    private static final Numbers NUMBERS = Numbers.forThisMachine();
    /** The smallest context worth having: below it, the other rungs do as well. */
    private static final int MIN_EVENTS = 16;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment callState = LibC.allocateCallState(arena);
    /** A zero timeout: {@code io_getevents} reaps what is there and returns. */
    private final MemorySegment noWait = arena.allocate(Timespec.BYTES, Timespec.ALIGNMENT);
    private final long context;
    private final int events;

    /**
     * Sets up a context for {@code events} requests, or, when {@code fs.aio-max-nr} leaves too little
     * for that ({@code EAGAIN}), for half as many, down to a minimum.
     *
     * @throws IllegalStateException saying why when no context can be had, with the limits on
     *         {@code EAGAIN}
     */
    AioContext(int events) {
        MemorySegment contextId = arena.allocate(JAVA_LONG);
        int size = events;
        long rc;
        for (;;) {
            contextId.set(JAVA_LONG, 0, 0L);
            rc = LibC.syscall(callState, NUMBERS.setup(), size, contextId.address(), 0);
            if (rc != -Errno.EAGAIN || size / 2 < MIN_EVENTS) {
                break;
            }
            size /= 2;
        }
        if (rc < 0) {
            arena.close();
            throw new IllegalStateException("io_setup failed: " + Errno.describe((int) -rc) + hint((int) -rc, size));
        }
        this.context = contextId.get(JAVA_LONG, 0);
        this.events = size;
    }

    private static String hint(int errno, int size) {
        return switch (errno) {
            case Errno.EAGAIN -> ", fs.aio-max-nr is " + Sysctl.read("fs.aio-max-nr") + " with "
                    + Sysctl.read("fs.aio-nr") + " in use, too little for even " + size + " events";
            case Errno.EPERM -> ", blocked by a seccomp profile";
            case Errno.ENOSYS -> ", the kernel has no Linux AIO";
            default -> "";
        };
    }

    /** The most requests the context holds at once. */
    int events() {
        return events;
    }

    /**
     * {@code io_submit} of the {@code count} iocb pointers at {@code iocbPointers}: how many the kernel
     * took, or {@code -errno} when it took none because the first one is bad.
     */
    long submit(MemorySegment iocbPointers, int count) {
        return LibC.syscall(callState, NUMBERS.submit(), context, count, iocbPointers.address());
    }

    /** {@code io_getevents} without waiting: how many events it stored in {@code into}, or {@code -errno}. */
    long reap(MemorySegment into, int max) {
        return LibC.syscall(callState, NUMBERS.getEvents(), context, 0, max, into.address(), noWait.address(), 0);
    }

    /** {@code io_destroy}: waits for what is in flight, then frees the context. */
    @Override
    public void close() {
        LibC.syscall(callState, NUMBERS.destroy(), context, 0, 0);
        arena.close();
    }
}
