package dev.ringpark;

import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.Poller;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.InterruptibleChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where a channel's calls enter and leave its descriptor, and what an interrupt does to them there,
 * as the channel's {@link InterruptPolicy} says: {@code FileChannel}'s contract (an interrupted
 * caller closes the channel and gets {@link ClosedByInterruptException}), the cancellation of the
 * interrupted call alone ({@link InterruptedIOException}, the channel open), or nothing, for a
 * channel behind a stream. The JDK's {@code begin}/{@code end} of
 * {@code AbstractInterruptibleChannel}, with the {@link FileHandle}'s count that keeps the
 * descriptor open while a call uses it.
 */
final class CallGate {
    private final Poller poller;
    private final FileHandle handle;
    private final InterruptPolicy interrupts;
    private final InterruptibleChannel owner;

    /**
     * @param interrupts what an interrupt of a caller does
     * @param owner      the channel whose calls pass here, closed on an interrupt under
     *                   {@link InterruptPolicy#CLOSE_CHANNEL}
     */
    CallGate(Poller poller, FileHandle handle, InterruptPolicy interrupts, InterruptibleChannel owner) {
        this.poller = poller;
        this.handle = handle;
        this.interrupts = interrupts;
        this.owner = owner;
    }

    /**
     * Counts a call in as using the descriptor, then makes the interrupt check: an interrupted caller
     * closes the channel and gets {@link ClosedByInterruptException}, or, when interrupts cancel
     * calls only, gets {@link InterruptedIOException} before any I/O. A close since the caller checked
     * the channel open gives {@link AsynchronousCloseException}; a failed poller, its failure, even to
     * calls that would not need it.
     */
    void enter() throws IOException {
        if (!handle.enter()) {
            // Every caller checked the channel open first: a close came in between, as the JDK says.
            throw new AsynchronousCloseException();
        }
        try {
            poller.ensureRunning();
        } catch (IOException pollerFailed) {
            handle.exit();
            throw pollerFailed;
        }
        if (Thread.currentThread().isInterrupted()) {
            switch (interrupts) {
                case CLOSE_CHANNEL -> exit(); // closes the channel and throws
                case CANCEL_CALL -> {
                    handle.exit();
                    throw InterruptPolicy.interrupted();
                }
                case IGNORE -> { }
            }
        }
    }

    /**
     * Counts a call out. If the caller of a channel that an interrupt closes was interrupted while
     * its operation was in flight (which cancelled it), closes the channel and throws
     * {@link ClosedByInterruptException}, whatever the operation returned. Under
     * {@link InterruptPolicy#CANCEL_CALL} the operation's result has said already what happened
     * ({@link DescriptorOperations#checkResult}).
     */
    void exit() throws IOException {
        handle.exit();
        if (interrupts == InterruptPolicy.CLOSE_CHANNEL && Thread.currentThread().isInterrupted()) {
            owner.close();
            throw new ClosedByInterruptException();
        }
    }

    /**
     * Takes {@code lock}, which orders the channel's relative transfers, before {@code deadline}.
     * Without a deadline, and unless interrupts cancel calls, it waits as the JDK's {@code synchronized}
     * does, through interrupts; otherwise an interrupt while waiting ends the call as it would in
     * the kernel (closing the channel, or cancelling the call alone), and a deadline that passes
     * throws {@link java.nio.channels.InterruptedByTimeoutException}.
     */
    void lock(ReentrantLock lock, Deadline deadline) throws IOException {
        if (!deadline.isBounded() && interrupts != InterruptPolicy.CANCEL_CALL) {
            lock.lock();
            return;
        }
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    if (!deadline.isBounded()) {
                        lock.lockInterruptibly();
                        return;
                    }
                    if (lock.tryLock(deadline.remainingNanos(), TimeUnit.NANOSECONDS)) {
                        return;
                    }
                    throw Deadline.timedOut();
                } catch (InterruptedException e) {
                    interrupted = true;
                    switch (interrupts) {
                        case CLOSE_CHANNEL -> {
                            Thread.currentThread().interrupt();
                            owner.close();
                            throw new ClosedByInterruptException();
                        }
                        case CANCEL_CALL -> throw InterruptPolicy.interrupted();
                        case IGNORE -> { } // wait on; the status is set again below
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What an interrupt of a caller does. */
    InterruptPolicy interrupts() {
        return interrupts;
    }

    /**
     * Before a transfer between the owner and {@code other}: the JDK's first blocking call of a
     * transfer made by an interrupted thread closes the owner, and its {@code transferFailed} then
     * closes {@code other} too, whatever kind of channel it is; so does this. When interrupts cancel
     * calls only, the transfer ends before it starts and neither channel closes.
     */
    void closeBothIfInterrupted(Channel other) throws IOException {
        if (interrupts.cancelsOperations() && Thread.currentThread().isInterrupted()) {
            throw interruption(other);
        }
    }

    /**
     * What a transfer between the owner and {@code other} that an interrupt ended throws: under
     * {@link InterruptPolicy#CLOSE_CHANNEL}, {@link ClosedByInterruptException} once both channels are
     * closed, as the JDK's {@code transferFailed} closes them; under
     * {@link InterruptPolicy#CANCEL_CALL}, {@link InterruptedIOException}, both left open.
     */
    IOException interruption(Channel other) {
        return interrupts == InterruptPolicy.CANCEL_CALL ? InterruptPolicy.interrupted()
                : closeBoth(new ClosedByInterruptException(), other);
    }

    /**
     * Closes the owner and {@code other}, as the JDK's {@code transferFailed} does once an interrupt
     * ended a transfer, and returns {@code interruption} with what the closes threw suppressed.
     */
    ClosedByInterruptException closeBoth(ClosedByInterruptException interruption, Channel other) {
        for (Channel channel : new Channel[] {owner, other}) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                interruption.addSuppressed(suppressed);
            }
        }
        return interruption;
    }

    /** The JDK companion closed itself on an interrupt: the owner closes too, as the JDK's would. */
    <E extends IOException> E closedBy(E interruption) {
        try {
            owner.close();
        } catch (IOException suppressed) {
            interruption.addSuppressed(suppressed);
        }
        return interruption;
    }
}
