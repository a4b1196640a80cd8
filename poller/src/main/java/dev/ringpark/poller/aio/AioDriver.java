package dev.ringpark.poller.aio;

import dev.ringpark.poller.Cancel;
import dev.ringpark.poller.CompletionReaper;
import dev.ringpark.poller.ConfinedCounter;
import dev.ringpark.poller.Driver;
import dev.ringpark.poller.Errno;
import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.Operation;
import dev.ringpark.poller.Sync;
import dev.ringpark.poller.Transfer;
import dev.ringpark.poller.VectoredTransfer;
import dev.ringpark.poller.linux.LibC;
import dev.ringpark.poller.threads.BlockingCallPool;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The middle rung: Linux AIO for what it does asynchronously, a {@link BlockingCallPool} for the rest.
 *
 * <p>Routing: {@code io_submit} is asynchronous only for {@code O_DIRECT} transfers (for buffered
 * ones it does the I/O itself, blocking the poller) and for {@code fsync}, which the kernel hands to
 * a work queue. So positional transfers on {@linkplain FileHandle.IoMode#DIRECT O_DIRECT}
 * descriptors and {@code fsync}/{@code fdatasync} on files go to the AIO context; everything else,
 * buffered reads and writes included, goes to the pool. {@code docs/ARCHITECTURE.md} says why
 * buffered transfers are not first tried with {@code RWF_NOWAIT}.
 *
 * <p>Waiting: every AIO request signals one eventfd on completion ({@code IOCB_FLAG_RESFD}), and so
 * do the pool's workers and {@link #wakeup()}. A blocking {@link #await} reads that eventfd, then
 * reaps with {@code io_getevents} without waiting. Each signal is made after its completion is
 * visible (the kernel posts the event before it signals; a worker queues its result before it
 * signals), so a poller that wakes finds what woke it; a signal it has already reaped through only
 * costs one extra turn of the loop.
 *
 * <p>Cancellation: Linux AIO cannot cancel file I/O ({@code io_cancel} answers {@code EINVAL}), and an
 * O_DIRECT transfer finishes in bounded time, so a cancel of one answers {@code -EALREADY} and the
 * caller waits for the transfer; a cancel of a pool task goes to the pool.
 */
public final class AioDriver implements Driver {
    /** The ticket of an operation the pool runs: it may have started at once. */
    private static final long POOL_TICKET = -1;

    private final AioContext context;
    private final BlockingCallPool pool;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment callState = LibC.allocateCallState(arena);
    private final MemorySegment controlBlocks;
    private final MemorySegment pendingPointers;
    private final MemorySegment events;
    private final MemorySegment eventfdValue = arena.allocate(JAVA_LONG);
    private final MemorySegment one = arena.allocate(JAVA_LONG);
    private final int eventFd;
    /** Poller only: indexes of the free control blocks, a stack. */
    private final int[] freeBlocks;
    private int freeCount;
    /** Poller only: control blocks prepared and not yet submitted; their pointers are in {@link #pendingPointers}. */
    private int pendingCount;
    /** Poller only: the ticket of the next request prepared, and of the first not yet taken by {@code io_submit}. */
    private long nextTicket;
    private long submittedTicket;
    /** Poller only: system calls made on the context and its eventfd, and requests handed out (AIO and pool). */
    private final ConfinedCounter calls = new ConfinedCounter();
    private final ConfinedCounter submissions = new ConfinedCounter();

    /**
     * Sets up a context of {@code events} requests (fewer if {@code fs.aio-max-nr} demands) on the
     * calling thread, which must be the poller thread, and a pool of at most {@code threads}.
     *
     * @throws IllegalStateException saying why when Linux AIO is not available here
     */
    public AioDriver(int events, int threads) {
        context = new AioContext(events);
        int capacity = context.events();
        controlBlocks = arena.allocate(capacity * IoControlBlock.BYTES, 8);
        pendingPointers = arena.allocate(capacity * 8L, 8);
        this.events = arena.allocate(capacity * IoEvent.BYTES, 8);
        freeBlocks = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            freeBlocks[freeCount++] = capacity - 1 - i;
        }
        one.set(JAVA_LONG, 0, 1L);
        eventFd = LibC.eventfd(callState, 0, LibC.EFD_CLOEXEC);
        if (eventFd < 0) {
            context.close();
            arena.close();
            throw new IllegalStateException("eventfd failed: " + Errno.describe(-eventFd));
        }
        pool = new BlockingCallPool(threads, "ringpark-io", this::wakeup);
    }

    @Override
    public String name() {
        return "aio";
    }

    @Override
    public String description() {
        return "Linux AIO context of " + context.events() + " requests for O_DIRECT transfers and fsync, up to "
                + pool.maxThreads() + " platform threads for the rest (and as many more for pipe transfers)";
    }

    /** AIO requests and pool tasks together: the context could take every one of them. */
    @Override
    public int capacity() {
        return context.events();
    }

    @Override
    public long submit(Operation operation, long userData) {
        if (operation instanceof Cancel cancel) {
            if (runsOnContext(cancel.target())) {
                pool.answer(cancel, userData, -Errno.EALREADY);
            } else {
                pool.cancel(cancel, userData);
            }
            return POOL_TICKET;
        }
        submissions.increment();
        if (!runsOnContext(operation)) {
            pool.submit(operation, userData);
            return POOL_TICKET;
        }
        int block = freeBlocks[--freeCount]; // the poller never holds more than capacity()
        MemorySegment iocb = controlBlocks.asSlice(block * IoControlBlock.BYTES, IoControlBlock.BYTES);
        int fd = operation.handle().fd();
        switch (operation) {
            case Transfer transfer -> IoControlBlock.prepare(iocb, transfer.direction() == Transfer.Direction.READ
                            ? IoControlBlock.IOCB_CMD_PREAD : IoControlBlock.IOCB_CMD_PWRITE, fd, transfer.address(),
                    transfer.length(), transfer.offset(), userData, eventFd);
            case VectoredTransfer transfer -> IoControlBlock.prepare(iocb,
                    transfer.direction() == Transfer.Direction.READ
                            ? IoControlBlock.IOCB_CMD_PREADV : IoControlBlock.IOCB_CMD_PWRITEV, fd, transfer.iovecs(),
                    transfer.count(), transfer.offset(), userData, eventFd);
            case Sync sync -> IoControlBlock.prepare(iocb, sync.dataOnly()
                    ? IoControlBlock.IOCB_CMD_FDSYNC : IoControlBlock.IOCB_CMD_FSYNC, fd, 0, 0, 0, userData, eventFd);
            default -> throw new IllegalArgumentException("not an AIO request: " + operation);
        }
        pendingPointers.setAtIndex(JAVA_LONG, pendingCount++, iocb.address());
        return nextTicket++;
    }

    /** Whether {@code operation} goes to the AIO context rather than to the pool. */
    private static boolean runsOnContext(Operation operation) {
        FileHandle handle = operation.handle();
        if (handle == null) {
            return false;
        }
        boolean direct = handle.ioMode() == FileHandle.IoMode.DIRECT;
        return switch (operation) {
            case Transfer transfer -> direct && transfer.offset() >= 0;
            case VectoredTransfer transfer -> direct && transfer.offset() >= 0;
            case Sync sync -> handle.ioMode() != FileHandle.IoMode.STREAM;
            default -> false;
        };
    }

    /** The pool may run a task as soon as it has it; an AIO request once {@code io_submit} took it. */
    @Override
    public boolean mayHaveReachedKernel(long ticket) {
        return ticket == POOL_TICKET || ticket < submittedTicket;
    }

    @Override
    public void await(boolean block, CompletionReaper reaper) throws IOException {
        submitPending(reaper);
        if (block && !pool.hasCompleted()) {
            long rc = LibC.read(callState, eventFd, eventfdValue, 8);
            calls.increment();
            if (rc < 0 && rc != -Errno.EINTR) {
                throw new IOException("reading the AIO eventfd failed: " + Errno.describe((int) -rc));
            }
        }
        reapEvents(reaper);
        pool.reapCompleted(reaper);
    }

    /**
     * Submits the prepared requests. {@code io_submit} stops at the first request it refuses and
     * reports that one's error only if it took none before it: the refused request completes with the
     * error and the rest are submitted again.
     */
    private void submitPending(CompletionReaper reaper) {
        int done = 0;
        while (done < pendingCount) {
            MemorySegment rest = pendingPointers.asSlice(done * 8L);
            long taken = context.submit(rest, pendingCount - done);
            calls.increment();
            if (taken < 0) {
                long iocb = rest.get(JAVA_LONG, 0);
                reaper.reap(userDataOf(iocb), (int) taken);
                release(iocb);
                taken = 1;
            }
            done += (int) taken;
            submittedTicket += taken;
        }
        pendingCount = 0;
    }

    private void reapEvents(CompletionReaper reaper) throws IOException {
        int max = freeBlocks.length;
        long count;
        do {
            count = context.reap(events, max);
            calls.increment();
            if (count < 0) {
                throw new IOException("io_getevents failed: " + Errno.describe((int) -count));
            }
            for (int i = 0; i < count; i++) {
                release(IoEvent.controlBlock(events, i));
                long result = IoEvent.result(events, i);
                reaper.reap(IoEvent.userData(events, i), (int) Math.max(result, Integer.MIN_VALUE));
            }
        } while (count == max);
    }

    private long userDataOf(long iocb) {
        return IoControlBlock.userData(controlBlocks.asSlice(iocb - controlBlocks.address(), IoControlBlock.BYTES));
    }

    private void release(long iocb) {
        freeBlocks[freeCount++] = (int) ((iocb - controlBlocks.address()) / IoControlBlock.BYTES);
    }

    @Override
    public long kernelCalls() {
        return calls.get();
    }

    @Override
    public long kernelSubmissions() {
        return submissions.get();
    }

    @Override
    public void wakeup() {
        LibC.signalEventfd(eventFd, one);
    }

    @Override
    public void close() {
        pool.close();
        context.close();
        LibC.close(callState, eventFd);
        arena.close();
    }
}
