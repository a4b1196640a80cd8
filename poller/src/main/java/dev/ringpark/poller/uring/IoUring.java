package dev.ringpark.poller.uring;

import dev.ringpark.poller.CompletionReaper;
import dev.ringpark.poller.ConfinedCounter;
import dev.ringpark.poller.Errno;
import dev.ringpark.poller.linux.LibC;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * One io_uring instance: the ring descriptor, its two mapped queues, and {@code io_uring_enter}.
 *
 * <p>{@link #create} must run on the thread that will submit: the ring asks for
 * {@code IORING_SETUP_SINGLE_ISSUER}, after which the kernel refuses {@code io_uring_enter} from any
 * other thread with {@code EEXIST}. Setup walks down a ladder of flag sets, from the best this
 * kernel might have to a plain ring, and keeps the first one accepted.
 */
@SuppressWarnings("restricted") // binding native code is what this class is for
public final class IoUring implements AutoCloseable {
    private static final long SYS_IO_URING_SETUP = 425;
    private static final long SYS_IO_URING_ENTER = 426;
    private static final long SYS_IO_URING_REGISTER = 427;

    private static final int IORING_REGISTER_PROBE = 8;
    private static final int IORING_REGISTER_IOWQ_MAX_WORKERS = 19;

    private static final int IORING_SETUP_CQSIZE = 1 << 3;
    private static final int IORING_SETUP_SUBMIT_ALL = 1 << 7;
    private static final int IORING_SETUP_COOP_TASKRUN = 1 << 8;
    private static final int IORING_SETUP_SINGLE_ISSUER = 1 << 12;
    private static final int IORING_SETUP_DEFER_TASKRUN = 1 << 13;
    private static final int IORING_SETUP_NO_SQARRAY = 1 << 16;

    private static final int IORING_FEAT_SINGLE_MMAP = 1;
    private static final int IORING_FEAT_NODROP = 1 << 1;
    private static final int IORING_FEAT_NO_IOWAIT = 1 << 17;

    private static final int IORING_ENTER_GETEVENTS = 1;
    private static final int IORING_ENTER_NO_IOWAIT = 1 << 7;

    private static final long IORING_OFF_SQ_RING = 0;
    private static final long IORING_OFF_CQ_RING = 0x8000000L;
    private static final long IORING_OFF_SQES = 0x10000000L;

    /** Flag sets tried in order; each later one drops what an older kernel refuses with EINVAL. */
    private static final int[] SETUP_LADDER = {
            IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SUBMIT_ALL
                    | IORING_SETUP_NO_SQARRAY,
            IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SUBMIT_ALL,
            IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SUBMIT_ALL,
            0,
    };

    private final Arena arena;
    private final MemorySegment callState;
    private final int ringFd;
    private final int setupFlags;
    private final int features;
    private final List<MemorySegment> mappings;
    private final SubmissionQueue submissionQueue;
    private final CompletionQueue completionQueue;
    private final int enterFlags;
    /** Poller only: {@code io_uring_enter} calls, and the entries they submitted. */
    private final ConfinedCounter enters = new ConfinedCounter();
    private final ConfinedCounter submitted = new ConfinedCounter();

    private IoUring(Arena arena, MemorySegment callState, int ringFd, int setupFlags, MemorySegment params,
                    List<MemorySegment> mappings, SubmissionQueue submissionQueue, CompletionQueue completionQueue) {
        this.arena = arena;
        this.callState = callState;
        this.ringFd = ringFd;
        this.setupFlags = setupFlags;
        this.features = IoUringParams.features(params);
        this.mappings = mappings;
        this.submissionQueue = submissionQueue;
        this.completionQueue = completionQueue;
        this.enterFlags = IORING_ENTER_GETEVENTS
                | ((features & IORING_FEAT_NO_IOWAIT) != 0 ? IORING_ENTER_NO_IOWAIT : 0);
    }

    /**
     * Creates a ring with {@code sqEntries} submission entries and {@code cqEntries} completion
     * entries (both powers of two, {@code cqEntries >= sqEntries}).
     *
     * @throws RingSetupException with the errno of the first rung that failed for a reason other
     *         than an unknown flag ({@code EPERM}, {@code ENOSYS}, {@code ENOMEM}, ...)
     */
    public static IoUring create(int sqEntries, int cqEntries) throws RingSetupException {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment callState = LibC.allocateCallState(arena);
            MemorySegment params = arena.allocate(IoUringParams.BYTES, 8);
            int fd = -Errno.EINVAL;
            int flags = 0;
            for (int candidate : SETUP_LADDER) {
                flags = candidate | IORING_SETUP_CQSIZE;
                params.fill((byte) 0);
                IoUringParams.setFlags(params, flags);
                IoUringParams.setCqEntries(params, cqEntries);
                fd = (int) LibC.syscall(callState, SYS_IO_URING_SETUP, sqEntries, params.address(), 0);
                if (fd != -Errno.EINVAL) {
                    break;
                }
            }
            if (fd < 0) {
                throw new RingSetupException(-fd);
            }
            if ((IoUringParams.features(params) & IORING_FEAT_NODROP) == 0) {
                LibC.close(callState, fd);
                throw new RingSetupException(Errno.EOPNOTSUPP, "the kernel lacks IORING_FEAT_NODROP");
            }
            return map(arena, callState, fd, flags, params);
        } catch (RingSetupException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static IoUring map(Arena arena, MemorySegment callState, int fd, int flags, MemorySegment params)
            throws RingSetupException {
        int sqEntries = IoUringParams.sqEntries(params);
        boolean hasArray = (flags & IORING_SETUP_NO_SQARRAY) == 0;
        long sqRingBytes = IoUringParams.sqRingBytes(params, hasArray);
        long cqRingBytes = IoUringParams.cqRingBytes(params, CompletionQueueEntry.BYTES);
        List<MemorySegment> mappings = new ArrayList<>(3);
        try {
            MemorySegment sqRing;
            MemorySegment cqRing;
            if ((IoUringParams.features(params) & IORING_FEAT_SINGLE_MMAP) != 0) {
                sqRing = mapRegion(callState, fd, Math.max(sqRingBytes, cqRingBytes), IORING_OFF_SQ_RING, mappings);
                cqRing = sqRing;
            } else {
                sqRing = mapRegion(callState, fd, sqRingBytes, IORING_OFF_SQ_RING, mappings);
                cqRing = mapRegion(callState, fd, cqRingBytes, IORING_OFF_CQ_RING, mappings);
            }
            MemorySegment sqes = mapRegion(callState, fd, sqEntries * SubmissionQueueEntry.BYTES,
                    IORING_OFF_SQES, mappings);
            return new IoUring(arena, callState, fd, flags, params, mappings,
                    new SubmissionQueue(sqRing, sqes, params, hasArray), new CompletionQueue(cqRing, params));
        } catch (RingSetupException e) {
            mappings.forEach(mapping -> LibC.munmap(callState, mapping));
            LibC.close(callState, fd);
            throw e;
        }
    }

    private static MemorySegment mapRegion(MemorySegment callState, int fd, long bytes, long offset,
                                           List<MemorySegment> mappings) throws RingSetupException {
        long address = LibC.mmapShared(callState, bytes, fd, offset);
        if (address < 0 && address > -4096) {
            throw new RingSetupException((int) -address, "mmap of the ring failed");
        }
        MemorySegment mapping = MemorySegment.ofAddress(address).reinterpret(bytes);
        mappings.add(mapping);
        return mapping;
    }

    /** The submission queue; filled by the caller, submitted by {@link #enter}. */
    SubmissionQueue submissionQueue() {
        return submissionQueue;
    }

    /**
     * Submits what the submission queue holds and, when {@code wait} is set, blocks until at least
     * one completion is posted; then reaps every posted completion (see {@link #reap}).
     *
     * @return the number of completions reaped, or {@code -errno} when {@code io_uring_enter} failed
     *         for a reason other than a signal or a full completion queue
     */
    public int enter(boolean wait, CompletionReaper reaper) {
        int rc = submit(wait);
        return rc < 0 ? rc : reap(reaper);
    }

    /**
     * {@code io_uring_enter} with what the submission queue holds, waiting for one completion when
     * {@code wait} is set; reaps nothing.
     *
     * @return 0, or {@code -errno} for a failure other than {@code EINTR}, {@code EBUSY} or
     *         {@code EAGAIN} (a signal, or completions waiting to be reaped)
     */
    int submit(boolean wait) {
        return enterSyscall(submissionQueue.publish(), wait ? 1 : 0);
    }

    /**
     * Hands every posted completion to {@code reaper}, including those the kernel held back after
     * the completion queue overflowed: with {@code FEAT_NODROP} they wait in an overflow list,
     * flagged by {@code IORING_SQ_CQ_OVERFLOW}, until a {@code GETEVENTS} enter moves them into
     * the entries reaping freed.
     *
     * @return the number of completions reaped, or {@code -errno} when the flushing enter failed
     */
    int reap(CompletionReaper reaper) {
        int reaped = completionQueue.reap(reaper);
        while (submissionQueue.completionsOverflowed()) {
            int rc = enterSyscall(0, 0);
            if (rc < 0) {
                return rc;
            }
            reaped += completionQueue.reap(reaper);
        }
        return reaped;
    }

    private int enterSyscall(int toSubmit, int minComplete) {
        long rc = LibC.syscall(callState, SYS_IO_URING_ENTER, ringFd, toSubmit, minComplete, enterFlags, 0, 0);
        enters.increment();
        if (rc > 0) {
            submitted.add(rc); // io_uring_enter answers how many entries it consumed
        }
        return rc < 0 && rc != -Errno.EINTR && rc != -Errno.EBUSY && rc != -Errno.EAGAIN ? (int) rc : 0;
    }

    /** Any thread: the {@code io_uring_enter} calls made so far. */
    long enterCalls() {
        return enters.get();
    }

    /** Any thread: the submission entries those calls consumed. */
    long entriesSubmitted() {
        return submitted.get();
    }

    /**
     * Asks the kernel which opcodes it supports ({@code IORING_REGISTER_PROBE}).
     *
     * @return whether each opcode is supported, indexed by opcode; {@code null} when the kernel cannot
     *         say (before Linux 5.6)
     */
    boolean[] probeOpcodes() {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment probe = scratch.allocate(IoUringProbe.BYTES, 8);
            long rc = LibC.syscall(callState, SYS_IO_URING_REGISTER, ringFd, IORING_REGISTER_PROBE, probe.address(),
                    IoUringProbe.OPS, 0, 0);
            if (rc < 0) {
                return null;
            }
            boolean[] supported = new boolean[IoUringProbe.OPS];
            for (int opcode = 0; opcode < IoUringProbe.OPS; opcode++) {
                supported[opcode] = IoUringProbe.supports(probe, (byte) opcode);
            }
            return supported;
        }
    }

    /**
     * Bounds the io-wq workers the kernel starts for this ring's work that would block
     * ({@code IORING_REGISTER_IOWQ_MAX_WORKERS}, Linux 5.15): each is a thread of this process.
     *
     * @param bounded the most workers for work on regular files and for opens, statx and the like
     * @return {@code " iowq<=N"} for the description, or why the kernel refused
     */
    String limitWorkers(int bounded) {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment counts = scratch.allocate(JAVA_INT, 2); // {bounded, unbounded}; 0 leaves one as it is
            counts.setAtIndex(JAVA_INT, 0, bounded);
            long rc = LibC.syscall(callState, SYS_IO_URING_REGISTER, ringFd, IORING_REGISTER_IOWQ_MAX_WORKERS,
                    counts.address(), 2, 0, 0);
            return rc < 0 ? " (io-wq workers not bounded: " + Errno.describe((int) -rc) + ")" : " iowq<=" + bounded;
        }
    }

    /** Completion entries in the ring: the most operations that may be in flight at once. */
    public int completionCapacity() {
        return completionQueue.capacity();
    }

    /** Submission entries in the ring. */
    public int submissionCapacity() {
        return submissionQueue.capacity();
    }

    /** The setup flags and features in words, for diagnostics ("SINGLE_ISSUER DEFER_TASKRUN ..."). */
    public String describe() {
        StringBuilder text = new StringBuilder();
        appendIf(text, setupFlags, IORING_SETUP_SINGLE_ISSUER, "SINGLE_ISSUER");
        appendIf(text, setupFlags, IORING_SETUP_DEFER_TASKRUN, "DEFER_TASKRUN");
        appendIf(text, setupFlags, IORING_SETUP_COOP_TASKRUN, "COOP_TASKRUN");
        appendIf(text, setupFlags, IORING_SETUP_SUBMIT_ALL, "SUBMIT_ALL");
        appendIf(text, setupFlags, IORING_SETUP_NO_SQARRAY, "NO_SQARRAY");
        appendIf(text, enterFlags, IORING_ENTER_NO_IOWAIT, "NO_IOWAIT");
        text.append("sq=").append(submissionCapacity()).append(" cq=").append(completionCapacity());
        return text.toString();
    }

    private static void appendIf(StringBuilder text, int flags, int flag, String name) {
        if ((flags & flag) != 0) {
            text.append(name).append(' ');
        }
    }

    /** Unmaps the queues and closes the ring; the kernel cancels whatever was still in flight. */
    @Override
    public void close() {
        mappings.forEach(mapping -> LibC.munmap(callState, mapping));
        LibC.close(callState, ringFd);
        arena.close();
    }
}
