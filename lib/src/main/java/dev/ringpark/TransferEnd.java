package dev.ringpark;

import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.Poller;

import java.nio.channels.AsynchronousCloseException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link PollerFileChannel} as one end of a transfer: what {@link ChannelTransfers} and
 * {@link KernelTransfers} need of the channel whose {@code transferTo} or {@code transferFrom} was
 * called, and of another of Ringpark's channels at the other end.
 *
 * @param channel      the channel
 * @param poller       its poller: a transfer the kernel makes between two channels runs on theirs
 * @param handle       its descriptor
 * @param gate         where its calls enter, with its interrupt rule
 * @param positionLock held while its file position is read and moved (a transfer's target, a
 *                     {@code transferFrom}'s source)
 * @param calls        its calls that move no bytes (the position, the size)
 * @param bytes        its reads and writes through memory
 * @param readable     opened for reading
 * @param writable     opened for writing
 * @param append       opened for appending
 */
record TransferEnd(PollerFileChannel channel, Poller poller, FileHandle handle, CallGate gate,
                   ReentrantLock positionLock, DescriptorCalls calls, DescriptorTransfers bytes, boolean readable,
                   boolean writable, boolean append) {

    /** What an interrupt of a caller does to this channel and its call. */
    InterruptPolicy interrupts() {
        return gate.interrupts();
    }

    /**
     * Counts a transfer in on the descriptor, which then stays open until {@link #exit()}; the other
     * end of a transfer makes no interrupt check of its own, as the JDK's {@code beforeTransfer}.
     *
     * @throws AsynchronousCloseException when the channel began closing since it was seen open
     */
    void enter() throws AsynchronousCloseException {
        if (!handle.enter()) {
            throw new AsynchronousCloseException();
        }
    }

    void exit() {
        handle.exit();
    }
}
