package dev.ringpark;

import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.Poller;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.InterruptibleChannel;

/**
 * Where a channel's calls enter and leave its descriptor, and what an interrupt does to them there:
 * {@code FileChannel}'s contract (an interrupted caller closes the channel and gets
 * {@link ClosedByInterruptException}) for an interruptible channel, nothing for one behind a stream.
 * The JDK's {@code begin}/{@code end} of {@code AbstractInterruptibleChannel}, with the
 * {@link FileHandle}'s count that keeps the descriptor open while a call uses it.
 */
final class CallGate {
    private final Poller poller;
    private final FileHandle handle;
    private final boolean interruptible;
    private final InterruptibleChannel owner;

    /**
     * @param interruptible whether an interrupt of a caller closes {@code owner}
     * @param owner         the channel whose calls pass here, closed on an interrupt
     */
    CallGate(Poller poller, FileHandle handle, boolean interruptible, InterruptibleChannel owner) {
        this.poller = poller;
        this.handle = handle;
        this.interruptible = interruptible;
        this.owner = owner;
    }

    /**
     * Counts a call in as using the descriptor, then makes the interrupt check: an interrupted caller
     * of an interruptible channel closes it and gets {@link ClosedByInterruptException}. A close since
     * the caller checked the channel open gives {@link AsynchronousCloseException}; a failed poller,
     * its failure, even to calls that would not need it.
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
        if (interruptible && Thread.currentThread().isInterrupted()) {
            exit(); // closes the channel and throws
        }
    }

    /**
     * Counts a call out. If the caller of an interruptible channel was interrupted while its operation
     * was in flight (which cancelled it), closes the channel and throws
     * {@link ClosedByInterruptException}, whatever the operation returned.
     */
    void exit() throws IOException {
        handle.exit();
        if (interruptible && Thread.currentThread().isInterrupted()) {
            owner.close();
            throw new ClosedByInterruptException();
        }
    }

    /** Whether an interrupt of a caller closes the owner. */
    boolean interruptible() {
        return interruptible;
    }

    /**
     * Before a transfer between the owner and {@code other}: the JDK's first blocking call of a
     * transfer made by an interrupted thread closes the owner, and its {@code transferFailed} then
     * closes {@code other} too, whatever kind of channel it is; so does this.
     */
    void closeBothIfInterrupted(Channel other) throws IOException {
        if (interruptible && Thread.currentThread().isInterrupted()) {
            throw closeBoth(new ClosedByInterruptException(), other);
        }
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
