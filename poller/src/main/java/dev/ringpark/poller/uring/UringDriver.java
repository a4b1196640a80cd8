package dev.ringpark.poller.uring;

import dev.ringpark.poller.CompletionReaper;
import dev.ringpark.poller.Driver;
import dev.ringpark.poller.Operation;
import dev.ringpark.poller.linux.Errno;
import dev.ringpark.poller.linux.LibC;
import dev.ringpark.poller.linux.OpenFlags;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The io_uring driver: each operation becomes one SQE, each completion one CQE.
 *
 * <p>Wake-up: the driver keeps one read of an eventfd in the ring at all times, under
 * {@code user_data} 0 (which no operation uses). {@link #wakeup()} writes the eventfd, that read
 * completes, and a blocked {@code io_uring_enter} returns; the read is then armed again.
 */
public final class UringDriver implements Driver {
    private static final long WAKEUP_USER_DATA = 0;

    private final IoUring ring;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment callState = LibC.allocateCallState(arena);
    private final MemorySegment wakeupValue = arena.allocate(JAVA_LONG);
    private final MemorySegment wakeupIncrement = arena.allocate(JAVA_LONG);
    private final MemorySegment emptyPath = arena.allocate(1);
    private final int wakeupFd;
    private boolean wakeupArmed;

    /**
     * Creates a ring of {@code entries} submission and completion entries on the calling thread,
     * which must be the poller thread.
     *
     * @throws IllegalStateException with the ring's {@link RingSetupException} as cause when
     *         io_uring is not available here
     */
    public UringDriver(int entries) {
        try {
            ring = IoUring.create(entries, entries);
        } catch (RingSetupException e) {
            arena.close();
            throw new IllegalStateException(e.getMessage(), e);
        }
        wakeupFd = LibC.eventfd(callState, 0, LibC.EFD_CLOEXEC);
        if (wakeupFd < 0) {
            ring.close();
            arena.close();
            throw new IllegalStateException("eventfd failed: " + Errno.describe(-wakeupFd));
        }
        wakeupIncrement.set(JAVA_LONG, 0, 1L);
        armWakeup();
    }

    @Override
    public String name() {
        return "io_uring";
    }

    @Override
    public String description() {
        return ring.describe();
    }

    /** One completion entry stays reserved for the wake-up read. */
    @Override
    public int capacity() {
        return Math.min(ring.completionCapacity(), ring.submissionCapacity()) - 1;
    }

    /** The ticket is the entry's index in the submission queue. */
    @Override
    public long submit(Operation operation, long userData) {
        long ticket = ring.submissionQueue().nextIndex();
        switch (operation.kind()) {
            case READ -> prepare(SubmissionQueueEntry.IORING_OP_READ, operation, userData);
            case WRITE -> prepare(SubmissionQueueEntry.IORING_OP_WRITE, operation, userData);
            case READV -> prepare(SubmissionQueueEntry.IORING_OP_READV, operation, userData);
            case WRITEV -> prepare(SubmissionQueueEntry.IORING_OP_WRITEV, operation, userData);
            case FSYNC -> prepare(SubmissionQueueEntry.IORING_OP_FSYNC, operation.fd(), 0, 0, 0, 0, userData);
            case FDATASYNC -> prepare(SubmissionQueueEntry.IORING_OP_FSYNC, operation.fd(), 0, 0, 0,
                    SubmissionQueueEntry.IORING_FSYNC_DATASYNC, userData);
            // The inline attempt io_uring makes first opens with O_NONBLOCK, under which a device's open
            // may not wait as open(2) does; a worker opens as open(2). A plain path has nothing to wait for.
            case OPEN -> prepare(SubmissionQueueEntry.IORING_OP_OPENAT, SubmissionQueueEntry.IOSQE_ASYNC,
                    OpenFlags.AT_FDCWD, operation.address(), operation.length(), 0, operation.flags(), userData);
            case OPEN_PLAIN -> prepare(SubmissionQueueEntry.IORING_OP_OPENAT, OpenFlags.AT_FDCWD, operation.address(),
                    operation.length(), 0, operation.flags(), userData);
            case CLOSE -> prepare(SubmissionQueueEntry.IORING_OP_CLOSE, operation.fd(), 0, 0, 0, 0, userData);
            case STATX -> prepare(SubmissionQueueEntry.IORING_OP_STATX, operation.fd(), emptyPath.address(),
                    operation.length(), operation.address(), OpenFlags.AT_EMPTY_PATH, userData);
            case TRUNCATE -> prepare(SubmissionQueueEntry.IORING_OP_FTRUNCATE, operation.fd(), 0, 0,
                    operation.offset(), 0, userData);
            // Kernels since 6.8 take a 64-bit length from addr; older ones read len, given too when it fits.
            case FADVISE -> prepare(SubmissionQueueEntry.IORING_OP_FADVISE, operation.fd(), operation.address(),
                    (int) Math.min(operation.address(), Integer.MAX_VALUE), operation.offset(), operation.flags(),
                    userData);
            case UNLINK -> prepare(SubmissionQueueEntry.IORING_OP_UNLINKAT, OpenFlags.AT_FDCWD, operation.address(),
                    0, 0, 0, userData);
            case CANCEL -> prepare(SubmissionQueueEntry.IORING_OP_ASYNC_CANCEL, -1, operation.targetUserData(),
                    0, 0, 0, userData);
            case CANCEL_ALL -> throw new IllegalArgumentException("the poller resolves CANCEL_ALL itself");
        }
        return ticket;
    }

    /** The kernel consumes entries in order and moves the queue's head past each. */
    @Override
    public boolean mayHaveReachedKernel(long ticket) {
        return ring.submissionQueue().consumed((int) ticket);
    }

    private void prepare(byte opcode, Operation operation, long userData) {
        prepare(opcode, operation.fd(), operation.address(), operation.length(), operation.offset(), 0, userData);
    }

    private void prepare(byte opcode, int fd, long address, int length, long fileOffset, int opFlags, long userData) {
        prepare(opcode, (byte) 0, fd, address, length, fileOffset, opFlags, userData);
    }

    private void prepare(byte opcode, byte sqeFlags, int fd, long address, int length, long fileOffset, int opFlags,
                         long userData) {
        SubmissionQueue queue = ring.submissionQueue();
        long entry = queue.claim();
        if (entry < 0) {
            // The poller submits at most capacity() operations plus the wake-up read between enters.
            throw new IllegalStateException("submission queue full");
        }
        SubmissionQueueEntry.prepare(queue.entries(), entry, opcode, sqeFlags, fd, address, length, fileOffset,
                opFlags, userData);
    }

    @Override
    public void await(boolean block, CompletionReaper reaper) throws IOException {
        int rc = ring.enter(block, (userData, result) -> {
            if (userData == WAKEUP_USER_DATA) {
                wakeupArmed = false;
            } else {
                reaper.reap(userData, result);
            }
        });
        if (rc < 0) {
            throw new IOException("io_uring_enter failed: " + Errno.describe(-rc));
        }
        if (!wakeupArmed) {
            armWakeup();
        }
    }

    private void armWakeup() {
        prepare(SubmissionQueueEntry.IORING_OP_READ, wakeupFd, wakeupValue.address(), 8, 0, 0, WAKEUP_USER_DATA);
        wakeupArmed = true;
    }

    @Override
    public void wakeup() {
        LibC.signalEventfd(wakeupFd, wakeupIncrement);
    }

    @Override
    public void close() {
        ring.close();
        LibC.close(callState, wakeupFd);
        arena.close();
    }
}
