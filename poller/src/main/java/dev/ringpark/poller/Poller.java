package dev.ringpark.poller;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The poller thread and the protocol around its driver.
 *
 * <p>Callers {@linkplain #execute hand over} an operation and park in it. The poller thread loops:
 * drain the hand-off queue; put operations into free slots of the driver, keeping the rest in a
 * backlog (their callers stay parked; the driver never holds more than its capacity); mark itself
 * asleep when nothing new arrived; submit and, if asleep, wait in the kernel in the same call; reap
 * completions into their operations, which wakes their callers.
 *
 * <p>Slots: the driver holds at most {@link Driver#capacity()} operations. A few of those slots are
 * kept for kernel cancels alone: were every slot held by operations that wait forever (reads of an
 * idle pipe), a cancel needing a slot could never be submitted and nothing would ever free one.
 *
 * <p>Cancellation: an interrupted caller, or one whose operation outlived its
 * {@linkplain Operation#setDeadlineNanos deadline}, hands over a {@link Cancel} for its own operation,
 * which it queued earlier, so the poller always sees the target first. A target still in the backlog
 * completes at once with {@code -ECANCELED}; one in the driver gets a kernel cancel and completes
 * when the kernel says so. Closing a {@link FileHandle} hands over one {@link CancelAll}; operations
 * that entered the handle but arrive after it find the handle closing and complete with
 * {@code -ECANCELED} without reaching the kernel. An operation between two descriptors
 * ({@link KernelCopy}) uses both handles: a close of either cancels it.
 *
 * <p>Failure: if the loop throws, every operation it holds or will be handed fails with an
 * {@link IOException} naming the cause, and the poller refuses new work with the same cause.
 */
public final class Poller {
    private static final System.Logger LOG = System.getLogger(Poller.class.getName());
    /**
     * Where the kernel times operations out, how long after a deadline the caller cancels an operation
     * that is still not done: far longer than the kernel's timeout should take to complete one and
     * wake its caller (a hand-back; {@code DeadlineOvershootBenchmark} measures it), so that the two
     * do not both fire, and short enough to bound the wait of an operation that never reached the
     * kernel. Measured on io_uring with 256 concurrent reads timing out every 5 ms, the kernel's
     * timeouts returned at worst 5.4 ms past the deadline (p99 0.52 ms): this is about twice that.
     */
    static final long KERNEL_TIMEOUT_BACKSTOP_NANOS = 10_000_000;

    private final OperationQueue queue = new OperationQueue();
    private final ArrayDeque<Operation> backlog = new ArrayDeque<>();
    private final CompletableFuture<Driver> started = new CompletableFuture<>();
    private final Supplier<Driver> driverFactory;
    /** How long the poller looks at the queue before sleeping when it has just emptied the driver; 0: never. */
    private final long spinNanos;
    private final PollerStatistics statistics = new PollerStatistics();
    /** Set once, when the poller fails; read by callers that find the queue refusing them. */
    private volatile IOException failure;
    /** Poller only after start. */
    private Driver driver;
    private SlotTable slots;
    /** Poller only: how many slots operations other than cancels may hold. */
    private int operationSlots;
    /** Poller only: the drained operations not accepted yet, so that a failure can reach them. */
    private Operation accepting;
    /** Poller only: completions reaped since the poller last slept. */
    private int reapedSinceSleep;
    /** {@link #onCompletion}, made once, so that a wait allocates nothing. */
    private final CompletionReaper reaper = this::onCompletion;

    /**
     * Starts a poller thread named {@code name} that creates its driver with {@code driverFactory},
     * and waits until the driver is up.
     *
     * @throws IOException when the driver could not be created, with the driver's reason as cause
     */
    public static Poller start(String name, Supplier<Driver> driverFactory) throws IOException {
        return start(name, driverFactory, 0);
    }

    /**
     * {@link #start(String, Supplier)}, with a poller that, having just completed the last operation
     * the driver held, looks at the hand-off queue for up to {@code spinNanos} before it sleeps: the
     * caller it has just woken often hands over its next operation within microseconds, which then
     * costs neither the caller's wake-up signal nor the poller's wake-up.
     */
    public static Poller start(String name, Supplier<Driver> driverFactory, long spinNanos) throws IOException {
        Poller poller = new Poller(name, driverFactory, spinNanos);
        try {
            poller.started.join();
        } catch (CompletionException e) {
            throw new IOException("cannot start the poller: " + e.getCause().getMessage(), e.getCause());
        }
        return poller;
    }

    private Poller(String name, Supplier<Driver> driverFactory, long spinNanos) {
        this.driverFactory = driverFactory;
        this.spinNanos = spinNanos;
        Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    /** The driver's {@linkplain Driver#name() name}, for diagnostics. */
    public String driverName() {
        return driver().name();
    }

    /** What this poller has done so far; any thread. */
    public PollerStatistics.Snapshot statistics() {
        return statistics.snapshot(started.isDone() && !started.isCompletedExceptionally() ? started.join() : null);
    }

    /** The driver's {@linkplain Driver#description() description}, for diagnostics. */
    public String driverSetup() {
        return driver().description();
    }

    /**
     * Hands {@code operation} to the poller and parks until it completes. An interrupt while parked
     * cancels the operation and the wait goes on until the kernel has let go of its memory; the
     * interrupt status is then set again for the caller to act on.
     *
     * @return what the system call returned, or {@code -errno} ({@code -ECANCELED} when cancelled)
     * @throws IOException when the poller has failed or fails before the kernel answers
     */
    public int execute(Operation operation) throws IOException {
        return execute(operation, true);
    }

    /**
     * {@link #execute(Operation)}, or, unless {@code cancelOnInterrupt}, the same without cancelling
     * on an interrupt: the operation then completes as if there had been none, and the interrupt
     * status is set again when the call returns.
     *
     * @return what the system call returned, or {@code -errno}
     * @throws IOException when the poller has failed or fails before the kernel answers
     */
    public int execute(Operation operation, boolean cancelOnInterrupt) throws IOException {
        operation.setWaiter(Thread.currentThread());
        handOver(operation);
        boolean timed = operation.hasDeadline();
        operation.awaitDone(() -> handOverQuietly(new Cancel(operation)), cancelOnInterrupt, timed,
                timed ? operation.deadlineNanos() + timerSlackNanos() : 0);
        return operation.result();
    }

    /**
     * How long after its deadline a parked caller asks for its operation's cancellation itself. None
     * where the driver leaves timing out to the caller; where the kernel times operations out
     * ({@link Driver#timesOutInKernel()}), {@link #KERNEL_TIMEOUT_BACKSTOP_NANOS}: the caller's own
     * cancel is then only a backstop, for an operation that had to wait in the backlog (a full ring)
     * or that the driver ran without a kernel timeout, and would otherwise cost a hand-over and a
     * wake-up of the poller for every operation that times out.
     */
    private long timerSlackNanos() {
        return driver().timesOutInKernel() ? KERNEL_TIMEOUT_BACKSTOP_NANOS : 0;
    }

    /**
     * Throws the poller's failure, if it has failed: calls that can be served without it (a read
     * from the page cache) fail as fast as those that cannot, with the same cause.
     *
     * @throws IOException naming why the poller failed
     */
    public void ensureRunning() throws IOException {
        IOException failed = failure;
        if (failed != null) {
            throw new IOException(failed.getMessage(), failed);
        }
    }

    /**
     * Asks the poller to cancel every operation on {@code handle}, which must be closing. Returns at
     * once; the handle's {@link FileHandle#awaitIdle()} waits for them.
     */
    public void cancelAll(FileHandle handle) {
        handOverQuietly(new CancelAll(handle));
    }

    private void handOver(Operation operation) throws IOException {
        switch (queue.offer(operation)) {
            case QUEUED -> { }
            case QUEUED_WAKE_POLLER -> wakePoller();
            case REFUSED -> {
                ensureRunning(); // throws: the queue refuses only once the failure is set
                throw new IllegalStateException("the poller refused an operation without having failed");
            }
        }
    }

    /** Hands over a cancel; when the poller has failed, what it would cancel has failed already. */
    private void handOverQuietly(Operation cancel) {
        if (queue.offer(cancel) == OperationQueue.Offer.QUEUED_WAKE_POLLER) {
            wakePoller();
        }
    }

    private void wakePoller() {
        statistics.wakeupSignalled();
        driver().wakeup();
    }

    private Driver driver() {
        return started.join();
    }

    private void run() {
        try {
            driver = driverFactory.get();
            slots = new SlotTable(driver.capacity());
            operationSlots = driver.capacity() - Math.max(1, driver.capacity() / 16);
        } catch (RuntimeException | Error e) {
            failure = new IOException(e.getMessage(), e);
            queue.close();
            started.completeExceptionally(e);
            return;
        }
        started.complete(driver);
        try {
            for (;;) {
                acceptQueued();
                admitBacklog();
                statistics.depths(slots.occupied(), backlog.size());
                if (reapedSinceSleep > 0 && slots.occupied() == 0 && awaitHandOver()) {
                    continue;
                }
                boolean sleep = queue.trySleep();
                if (sleep) {
                    statistics.sleeping();
                    reapedSinceSleep = 0;
                }
                driver.await(sleep, reaper);
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    /**
     * Looks at the queue for up to {@link #spinNanos}: only when the driver holds nothing, so that no
     * completion waits meanwhile, and only after reaping, when a woken caller is likely to come back.
     *
     * @return whether an operation was handed over
     */
    private boolean awaitHandOver() {
        if (spinNanos == 0) {
            return false;
        }
        long deadline = System.nanoTime() + spinNanos;
        while (!queue.hasWork()) {
            if (System.nanoTime() - deadline >= 0) {
                reapedSinceSleep = 0; // nobody came: sleep until somebody does
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    private void acceptQueued() {
        accepting = queue.drain();
        while (accepting != null) {
            Operation operation = accepting;
            accept(operation); // if it throws, operation and those after it are still in the chain
            accepting = operation.next;
            operation.next = null;
        }
    }

    private void accept(Operation operation) {
        switch (operation) {
            case Cancel cancel -> resolveCancel(cancel);
            case CancelAll cancelAll -> resolveCancelAll(cancelAll.handle());
            default -> {
                if (operation.closing()) {
                    finish(operation, -Errno.ECANCELED);
                } else {
                    operation.stage = Operation.Stage.BACKLOG;
                    backlog.addLast(operation);
                }
            }
        }
    }

    private void resolveCancel(Cancel cancel) {
        Operation target = cancel.target();
        switch (target.stage) {
            case DONE -> cancel.stage = Operation.Stage.DONE;
            case BACKLOG -> {
                backlog.remove(target);
                finish(target, -Errno.ECANCELED);
                cancel.stage = Operation.Stage.DONE;
            }
            case IN_DRIVER -> {
                cancel.stage = Operation.Stage.BACKLOG;
                backlog.addFirst(cancel);
            }
            case HANDED_OVER -> throw new IllegalStateException("cancel arrived before its target: " + target);
        }
    }

    private void resolveCancelAll(FileHandle handle) {
        backlog.removeIf(operation -> {
            if (!operation.uses(handle) || operation instanceof Cancel) {
                return false;
            }
            finish(operation, -Errno.ECANCELED);
            return true;
        });
        slots.forEach(operation -> {
            if (operation.uses(handle) && !(operation instanceof Cancel)) {
                Operation cancel = new Cancel(operation);
                cancel.stage = Operation.Stage.BACKLOG;
                backlog.addFirst(cancel);
            }
        });
    }

    /** Moves operations from the backlog into free slots; cancels, always at the front, go first. */
    private void admitBacklog() {
        while (!backlog.isEmpty()) {
            Operation operation = backlog.peekFirst();
            boolean cancel = operation instanceof Cancel;
            if (cancel ? !slots.hasFreeSlot() : slots.occupied() >= operationSlots) {
                return;
            }
            backlog.pollFirst();
            if (operation instanceof Cancel c && c.target().stage != Operation.Stage.IN_DRIVER) {
                operation.stage = Operation.Stage.DONE; // its target completed while it waited
                continue;
            }
            long userData = slots.add(operation);
            operation.userData = userData;
            operation.stage = Operation.Stage.IN_DRIVER;
            operation.ticket = driver.submit(operation, userData);
        }
    }

    private void onCompletion(long userData, int result) {
        Operation operation = slots.remove(userData);
        if (operation != null) {
            reapedSinceSleep++;
            operation.userData = 0;
            finish(operation, result);
        }
    }

    private void finish(Operation operation, int result) {
        operation.stage = Operation.Stage.DONE;
        statistics.completed(operation, result);
        operation.complete(result);
    }

    private void fail(Throwable cause) {
        IOException failed = new IOException("the Ringpark poller failed: " + cause, cause);
        failure = failed;
        LOG.log(System.Logger.Level.ERROR, "the Ringpark poller failed; every pending and later operation fails", cause);
        failChain(accepting, failed);
        failChain(queue.close(), failed);
        backlog.forEach(operation -> operation.fail(failed, false));
        backlog.clear();
        slots.forEach(operation -> operation.fail(failed, driver.mayHaveReachedKernel(operation.ticket)));
    }

    /** Fails a chain of operations the poller took from the queue but never admitted. */
    private static void failChain(Operation chain, IOException failed) {
        while (chain != null) {
            Operation next = chain.next;
            if (chain.stage == Operation.Stage.HANDED_OVER) {
                chain.fail(failed, false);
            }
            chain = next;
        }
    }
}
