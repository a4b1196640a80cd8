package dev.ringpark.poller.uring;

import dev.ringpark.poller.Advise;
import dev.ringpark.poller.AwaitReady;
import dev.ringpark.poller.Cancel;
import dev.ringpark.poller.CancelAll;
import dev.ringpark.poller.Close;
import dev.ringpark.poller.CompletionReaper;
import dev.ringpark.poller.ConfinedCounter;
import dev.ringpark.poller.CopyRange;
import dev.ringpark.poller.Driver;
import dev.ringpark.poller.Errno;
import dev.ringpark.poller.Nop;
import dev.ringpark.poller.Open;
import dev.ringpark.poller.Operation;
import dev.ringpark.poller.SendFile;
import dev.ringpark.poller.Splice;
import dev.ringpark.poller.Stat;
import dev.ringpark.poller.Sync;
import dev.ringpark.poller.Transfer;
import dev.ringpark.poller.Truncate;
import dev.ringpark.poller.Unlink;
import dev.ringpark.poller.VectoredTransfer;
import dev.ringpark.poller.linux.LibC;
import dev.ringpark.poller.linux.OpenFlags;
import dev.ringpark.poller.threads.BlockingCallPool;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static dev.ringpark.poller.uring.SubmissionQueueEntry.IORING_FSYNC_DATASYNC;
import static dev.ringpark.poller.uring.SubmissionQueueEntry.IOSQE_ASYNC;
import static dev.ringpark.poller.uring.SubmissionQueueEntry.IOSQE_IO_LINK;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The io_uring driver: each operation becomes one SQE, each completion one CQE.
 *
 * <p>Wake-up: the driver keeps one read of an eventfd in the ring at all times, under
 * {@code user_data} 0 (which no operation uses). {@link #wakeup()} writes the eventfd, that read
 * completes, and a blocked {@code io_uring_enter} returns; the read is then armed again.
 *
 * <p>Opcodes this kernel lacks ({@link RingOpcodes}; {@code FTRUNCATE} before Linux 6.9, say) run on
 * a {@link BlockingCallPool} started the first time one is needed, whose workers signal the same
 * eventfd; their cancels go to the pool. So do the system calls io_uring has no opcode for at all
 * ({@link CopyRange}, {@link SendFile}). A ring without the opcodes the driver itself needs (the
 * wake-up's {@code READ}, {@code ASYNC_CANCEL}) is refused.
 *
 * <p>Deadlines: an operation with a {@linkplain Operation#setDeadlineNanos deadline} is linked
 * ({@code IOSQE_IO_LINK}) to an {@code IORING_OP_LINK_TIMEOUT} of the time left, so the kernel itself
 * cancels it if it is still running then, and its caller need not wake ({@link LinkTimeouts} keeps
 * the timespecs and explains the accounting). That makes up to two entries and two completions per
 * operation: the completion queue is made twice the submission queue, and the operations in flight
 * are bounded by half of it. A batch of linked pairs may fill the submission queue before the next
 * {@code io_uring_enter}: it is then submitted early, a pair never split across two submissions (a
 * link only spans one).
 */
public final class UringDriver implements Driver {
    private static final long WAKEUP_USER_DATA = 0;
    /** The ticket of an operation the pool runs: it may have started at once. */
    private static final long POOL_TICKET = -1;

    private final IoUring ring;
    private final RingOpcodes opcodes;
    private final int poolThreads;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment callState = LibC.allocateCallState(arena);
    private final MemorySegment wakeupValue = arena.allocate(JAVA_LONG);
    private final MemorySegment wakeupIncrement = arena.allocate(JAVA_LONG);
    private final MemorySegment emptyPath = arena.allocate(1);
    private final int wakeupFd;
    private final String workerLimit;
    private final LinkTimeouts timeouts;
    private boolean wakeupArmed;
    /** Poller only: where the completions of the current {@link #await} go. */
    private CompletionReaper reaping;
    /** Sorts each CQE; made once, so that a wait allocates nothing. */
    private final CompletionReaper sortCompletion = this::sortCompletion;
    /** Poller only: runs what the ring cannot; {@code null} until first needed. */
    private BlockingCallPool pool;
    /** Poller only: operations handed to the pool. */
    private final ConfinedCounter pooled = new ConfinedCounter();

    /**
     * Creates a ring of {@code entries} submission entries, and twice as many completion entries, on
     * the calling thread, which must be the poller thread.
     *
     * @param entries     the ring's size
     * @param maxWorkers  the most io-wq workers the kernel may run for this ring's blocking work
     *                    ({@code IORING_REGISTER_IOWQ_MAX_WORKERS}, bounded kind); 0 leaves the
     *                    kernel's default
     * @param poolThreads the most platform threads for operations whose opcode this kernel lacks
     * @throws IllegalStateException with the ring's {@link RingSetupException} as cause when
     *         io_uring is not available here, or saying which opcode it lacks
     */
    public UringDriver(int entries, int maxWorkers, int poolThreads) {
        this(entries, maxWorkers, poolThreads, null);
    }

    /** As the public constructor; {@code knownOpcodes}, unless {@code null}, replaces the kernel's answer (tests). */
    UringDriver(int entries, int maxWorkers, int poolThreads, RingOpcodes knownOpcodes) {
        try {
            // Twice the completions: an operation and its linked timeout complete separately (LinkTimeouts).
            ring = IoUring.create(entries, 2 * entries);
        } catch (RingSetupException e) {
            arena.close();
            throw new IllegalStateException(e.getMessage(), e);
        }
        this.poolThreads = poolThreads;
        opcodes = knownOpcodes != null ? knownOpcodes : RingOpcodes.probe(ring);
        String lacking = opcodes.lackingRequired();
        workerLimit = maxWorkers > 0 ? ring.limitWorkers(maxWorkers) : "";
        wakeupFd = lacking == null ? LibC.eventfd(callState, 0, LibC.EFD_CLOEXEC) : -1;
        if (lacking != null || wakeupFd < 0) {
            ring.close();
            arena.close();
            throw new IllegalStateException(lacking != null ? "the kernel's io_uring lacks " + lacking
                    : "eventfd failed: " + Errno.describe(-wakeupFd));
        }
        wakeupIncrement.set(JAVA_LONG, 0, 1L);
        timeouts = new LinkTimeouts(arena, capacity());
        armWakeup();
    }

    @Override
    public String name() {
        return "io_uring";
    }

    @Override
    public String description() {
        List<String> lacking = opcodes.lacking();
        return ring.describe() + workerLimit
                + (lacking.isEmpty() ? "" : "; on up to " + poolThreads + " platform threads, as the kernel lacks them: "
                + String.join(" ", lacking));
    }

    /**
     * Half the completion queue, less the entry reserved for the wake-up read: the other half is for
     * the operations' linked timeouts.
     */
    @Override
    public int capacity() {
        return Math.min(ring.completionCapacity() / 2, ring.submissionCapacity()) - 1;
    }

    /** Where the kernel has {@code LINK_TIMEOUT} (Linux 5.5), every deadline becomes one. */
    @Override
    public boolean timesOutInKernel() {
        return opcodes.supports(SubmissionQueueEntry.IORING_OP_LINK_TIMEOUT);
    }

    /** The ticket is the entry's index in the submission queue, or {@link #POOL_TICKET}. */
    @Override
    public long submit(Operation operation, long userData) {
        return switch (operation) {
            case Transfer transfer -> prepare(operation, transfer.direction() == Transfer.Direction.READ
                            ? SubmissionQueueEntry.IORING_OP_READ : SubmissionQueueEntry.IORING_OP_WRITE,
                    (byte) 0, fd(operation), transfer.address(), transfer.length(), transfer.offset(), 0, userData);
            case VectoredTransfer transfer -> prepare(operation, transfer.direction() == Transfer.Direction.READ
                            ? SubmissionQueueEntry.IORING_OP_READV : SubmissionQueueEntry.IORING_OP_WRITEV,
                    (byte) 0, fd(operation), transfer.iovecs(), transfer.count(), transfer.offset(), 0, userData);
            case Sync sync -> prepare(operation, SubmissionQueueEntry.IORING_OP_FSYNC, (byte) 0, fd(operation), 0, 0,
                    0, sync.dataOnly() ? IORING_FSYNC_DATASYNC : 0, userData);
            // The inline attempt io_uring makes first opens with O_NONBLOCK, under which a device's open
            // may not wait as open(2) does; a worker opens as open(2). A plain path has nothing to wait for.
            case Open open -> prepare(operation, SubmissionQueueEntry.IORING_OP_OPENAT, open.plain() ? 0 : IOSQE_ASYNC,
                    OpenFlags.AT_FDCWD, open.path(), open.permissions(), 0, open.flags(), userData);
            case Close close -> prepare(operation, SubmissionQueueEntry.IORING_OP_CLOSE, (byte) 0, close.fd(), 0, 0, 0,
                    0, userData);
            case Stat stat -> prepare(operation, SubmissionQueueEntry.IORING_OP_STATX, (byte) 0, fd(operation),
                    emptyPath.address(), stat.mask(), stat.buffer(), OpenFlags.AT_EMPTY_PATH, userData);
            case Truncate truncate -> prepare(operation, SubmissionQueueEntry.IORING_OP_FTRUNCATE, (byte) 0,
                    fd(operation), 0, 0, truncate.length(), 0, userData);
            // Kernels since 6.8 take a 64-bit length from addr; older ones read len, given too when it fits.
            case Advise advise -> prepare(operation, SubmissionQueueEntry.IORING_OP_FADVISE, (byte) 0, fd(operation),
                    advise.length(), (int) Math.min(advise.length(), Integer.MAX_VALUE), advise.offset(),
                    advise.advice(), userData);
            case Unlink unlink -> prepare(operation, SubmissionQueueEntry.IORING_OP_UNLINKAT, (byte) 0,
                    OpenFlags.AT_FDCWD, unlink.path(), 0, 0, 0, userData);
            case Nop nop -> prepare(operation, SubmissionQueueEntry.IORING_OP_NOP, (byte) 0, -1, 0, 0, 0, 0, userData);
            case Splice splice -> splice(splice, userData);
            // single-shot (len 0); a poll waits in the ring, holding no worker
            case AwaitReady wait -> prepare(operation, SubmissionQueueEntry.IORING_OP_POLL_ADD, (byte) 0, fd(operation), 0,
                    0, 0, wait.event() == AwaitReady.Event.READABLE ? LibC.POLLIN : LibC.POLLOUT, userData);
            case CopyRange copy -> onPool(copy, userData);
            case SendFile send -> onPool(send, userData);
            case Cancel cancel -> cancel(cancel, userData);
            case CancelAll cancelAll -> throw new IllegalArgumentException("the poller resolves " + cancelAll + " itself");
        };
    }

    /**
     * {@code IORING_OP_SPLICE} with {@code SPLICE_F_NONBLOCK}: {@code fd} and {@code off} are the
     * target's, {@code splice_fd_in} and {@code splice_off_in} the source's (-1 for the pipe end).
     * io_uring always runs it on a worker ({@code REQ_F_FORCE_ASYNC}); the flag keeps that worker from
     * waiting for the pipe ({@code -EAGAIN} instead, which io-wq posts as it is for an opcode without
     * poll support).
     */
    private long splice(Splice splice, long userData) {
        if (!opcodes.supports(SubmissionQueueEntry.IORING_OP_SPLICE)) {
            return onPool(splice, userData);
        }
        makeRoom(1);
        long ticket = Integer.toUnsignedLong(ring.submissionQueue().nextIndex());
        long entry = fill(SubmissionQueueEntry.IORING_OP_SPLICE, (byte) 0, splice.target().fd(), splice.sourceOffset(),
                splice.length(), splice.targetOffset(), LibC.SPLICE_F_NONBLOCK, userData);
        SubmissionQueueEntry.setSpliceFdIn(ring.submissionQueue().entries(), entry, splice.source().fd());
        return ticket;
    }

    /** Hands {@code operation} to the pool beside the ring: an opcode the kernel lacks, or none exists. */
    private long onPool(Operation operation, long userData) {
        pool().submit(operation, userData);
        pooled.increment();
        return POOL_TICKET;
    }

    private static int fd(Operation operation) {
        return operation.handle().fd();
    }

    /** A cancel goes where its target went: the ring's {@code ASYNC_CANCEL}, or the pool's own. */
    private long cancel(Cancel cancel, long userData) {
        if (pool != null && pool.holds(cancel.targetUserData())) {
            pool.cancel(cancel, userData);
            return POOL_TICKET;
        }
        return prepare(cancel, SubmissionQueueEntry.IORING_OP_ASYNC_CANCEL, (byte) 0, -1, cancel.targetUserData(), 0,
                0, 0, userData);
    }

    /**
     * Fills an SQE for {@code operation}, followed by its linked timeout when it has a deadline, or
     * hands it to the pool when the kernel lacks {@code opcode}.
     */
    private long prepare(Operation operation, byte opcode, byte sqeFlags, int fd, long address, int length,
                         long fileOffset, int opFlags, long userData) {
        if (!opcodes.supports(opcode)) {
            return onPool(operation, userData);
        }
        int timeout = operation.hasDeadline() && timesOutInKernel()
                ? timeouts.take(userData, operation.deadlineNanos() - System.nanoTime()) : LinkTimeouts.NONE;
        boolean linked = timeout != LinkTimeouts.NONE;
        makeRoom(linked ? 2 : 1);
        long ticket = Integer.toUnsignedLong(ring.submissionQueue().nextIndex());
        fill(opcode, linked ? (byte) (sqeFlags | IOSQE_IO_LINK) : sqeFlags, fd, address, length, fileOffset, opFlags,
                userData);
        if (linked) {
            // len 1: one timespec; timeout_flags 0: relative, on CLOCK_MONOTONIC.
            fill(SubmissionQueueEntry.IORING_OP_LINK_TIMEOUT, (byte) 0, -1, timeouts.address(timeout), 1, 0, 0,
                    LinkTimeouts.userData(timeout));
        }
        return ticket;
    }

    /**
     * Makes sure {@code entries} submission entries are free, submitting what is queued if they are
     * not. Without deadlines a batch never fills the queue (at most capacity() operations and the
     * wake-up read between enters); with linked timeouts it may, and an operation and its timeout
     * must be claimed together, since a link spans one submission only.
     */
    private void makeRoom(int entries) {
        if (ring.submissionQueue().free() >= entries) {
            return;
        }
        int rc = ring.submit(false);
        if (rc < 0) {
            throw new IllegalStateException("io_uring_enter failed: " + Errno.describe(-rc));
        }
    }

    /** Claims and fills the next submission entry; returns its offset in the entries. */
    private long fill(byte opcode, byte sqeFlags, int fd, long address, int length, long fileOffset, int opFlags,
                      long userData) {
        SubmissionQueue queue = ring.submissionQueue();
        long entry = queue.claim();
        if (entry < 0) {
            // makeRoom() submitted what was queued, and the kernel did not take it.
            throw new IllegalStateException("submission queue full");
        }
        SubmissionQueueEntry.prepare(queue.entries(), entry, opcode, sqeFlags, fd, address, length, fileOffset,
                opFlags, userData);
        return entry;
    }

    private BlockingCallPool pool() {
        if (pool == null) {
            pool = new BlockingCallPool(poolThreads, "ringpark-io", this::wakeup);
        }
        return pool;
    }

    /** The kernel consumes entries in order and moves the queue's head past each; the pool may run at once. */
    @Override
    public boolean mayHaveReachedKernel(long ticket) {
        return ticket == POOL_TICKET || ring.submissionQueue().consumed((int) ticket);
    }

    @Override
    public void await(boolean block, CompletionReaper reaper) throws IOException {
        // A pool worker queues its result before it signals the eventfd, so a completion queued after
        // this look still ends the wait below.
        boolean wait = block && (pool == null || !pool.hasCompleted());
        reaping = reaper;
        int rc = ring.enter(wait, sortCompletion);
        if (rc < 0) {
            throw new IOException("io_uring_enter failed: " + Errno.describe(-rc));
        }
        if (pool != null) {
            pool.reapCompleted(reaper);
        }
        if (!wakeupArmed) {
            armWakeup();
        }
    }

    /** One CQE: the wake-up read, a linked timeout, or an operation for {@link #reaping}. */
    private void sortCompletion(long userData, int result) {
        if (userData == WAKEUP_USER_DATA) {
            wakeupArmed = false;
        } else if (LinkTimeouts.isTimeout(userData)) {
            timeouts.timeoutCompleted(userData); // -ETIME, or -ECANCELED: its operation says which mattered
        } else {
            // a worker the cancel interrupted mid-wait posts the kernel's internal restart code
            timeouts.operationCompleted(userData);
            reaping.reap(userData, result == -Errno.ERESTARTSYS ? -Errno.ECANCELED : result);
        }
    }

    /** Timeouts whose two completions are not both in yet (for tests). */
    int timeoutsInUse() {
        return timeouts.inUse();
    }

    private void armWakeup() {
        makeRoom(1);
        fill(SubmissionQueueEntry.IORING_OP_READ, (byte) 0, wakeupFd, wakeupValue.address(), 8, 0, 0,
                WAKEUP_USER_DATA);
        wakeupArmed = true;
    }

    @Override
    public long kernelCalls() {
        return ring.enterCalls();
    }

    @Override
    public long kernelSubmissions() {
        return ring.entriesSubmitted() + pooled.get();
    }

    @Override
    public void wakeup() {
        LibC.signalEventfd(wakeupFd, wakeupIncrement);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
        ring.close();
        LibC.close(callState, wakeupFd);
        arena.close();
    }
}
