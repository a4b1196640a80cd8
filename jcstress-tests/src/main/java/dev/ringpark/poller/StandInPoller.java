package dev.ringpark.poller;

import dev.ringpark.jcstress.Watchdog;

import java.io.IOException;
import java.util.List;

/**
 * The poller's side of the hand-off, reduced to what the jcstress tests in this package need: take
 * the one operation a caller handed over, read back what a caller would read, and name operations so
 * that a chain taken from the queue reads as text in an outcome.
 *
 * <p>The tests live in the poller's package (on the class path, split packages are fine) because
 * the hand-off's methods are package-private; they exercise those methods as the {@link Poller}
 * calls them, with nothing reimplemented.
 */
final class StandInPoller {
    /** What {@link #resultOf} returns when {@code result()} said the operation was not done. */
    static final int NOT_DONE = -1000;
    /** What {@link #resultOf} returns when {@code result()} threw the poller's failure. */
    static final int FAILED = -1001;
    /** Names of the operations {@link #named} makes, indexed by the descriptor they carry. */
    private static final String[] NAMES = {"a1", "a2", "b1", "b2", "p1", "p2", "p3"};
    /** Longer chains are cut short when described: a broken queue may link a cycle. */
    private static final int MAX_DESCRIBED = 16;

    private StandInPoller() {
    }

    /**
     * Takes the operation that one caller hands over through {@code queue}, spinning until it is
     * there (under the {@link Watchdog}). The real poller sleeps instead; spinning keeps the test about
     * the hand-off alone, and a poller never completes an operation it has not taken, so neither does
     * this one.
     */
    static Operation take(OperationQueue queue) {
        Operation[] taken = new Operation[1];
        Watchdog.watch(() -> {
            while ((taken[0] = queue.drain()) == null) {
                Thread.onSpinWait();
            }
        });
        return taken[0];
    }

    /** The caller's hand-over, as {@link Poller#execute} does it: record the waiter, then publish. */
    static void handOver(OperationQueue queue, Operation operation) {
        operation.setWaiter(Thread.currentThread());
        if (queue.offer(operation) != OperationQueue.Offer.QUEUED) {
            throw new IllegalStateException("a queue whose poller is awake took an operation otherwise");
        }
    }

    /**
     * A distinct operation named {@code name} (one of a1, a2, b1, b2, p1, p2, p3) in
     * {@link #describe}. It is a close of a descriptor that stands for the name: these operations
     * never reach a kernel.
     */
    static Operation named(String name) {
        int index = List.of(NAMES).indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("no such name: " + name);
        }
        return new Close(index);
    }

    /**
     * A chain taken from the queue, oldest first, as the names of its operations separated by
     * spaces; "-" when empty. A queue marker that leaked into the chain shows as "marker".
     */
    static String describe(Operation oldest) {
        if (oldest == null) {
            return "-";
        }
        StringBuilder text = new StringBuilder();
        int described = 0;
        for (Operation operation = oldest; operation != null; operation = operation.next) {
            if (described++ == MAX_DESCRIBED) {
                return text.append(" ...").toString();
            }
            if (!text.isEmpty()) {
                text.append(' ');
            }
            int index = operation instanceof Close close ? close.fd() : Integer.MIN_VALUE;
            text.append(index >= 0 && index < NAMES.length ? NAMES[index] : index == -1 ? "marker" : "fd" + index);
        }
        return text.toString();
    }

    /**
     * A read, which an interrupted caller cancels (opens, closes and unlinks it does not), of a
     * handle on no descriptor: these operations never reach a kernel.
     */
    static Operation read() {
        return new Transfer(new FileHandle(-1, FileHandle.IoMode.BUFFERED, FileType.UNKNOWN, FileSystemTraits.UNKNOWN, true),
                Transfer.Direction.READ, 0, 0, 0);
    }

    /** What a caller reads: the result, {@link #NOT_DONE} or {@link #FAILED}. */
    static int resultOf(Operation operation) {
        try {
            return operation.result();
        } catch (IllegalStateException notDone) {
            return NOT_DONE;
        } catch (IOException failed) {
            return FAILED;
        }
    }
}
