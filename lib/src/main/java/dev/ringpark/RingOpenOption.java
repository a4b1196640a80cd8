package dev.ringpark;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Options of {@link RingFileChannel#open(Path, OpenOption...)} beyond the JDK's.
 *
 * <p>These are Ringpark's own: the JDK's {@code FileChannel.open} refuses them with
 * {@link UnsupportedOperationException}, as it refuses any option it does not know, and so does
 * {@code FileChannel.open} (and every other {@code java.nio.file} open) when
 * {@link RingFileSystemProvider} is the default provider, which keeps the JDK's behaviour. Only
 * {@link RingFileChannel#open} takes them.
 */
public enum RingOpenOption implements OpenOption {
    /**
     * An interrupt cancels only the call of the interrupted thread, not the channel.
     *
     * <p>By default a channel does what {@code FileChannel} specifies: a thread interrupted while
     * blocked in an I/O call (or when it makes one) closes the channel and gets
     * {@link ClosedByInterruptException}, and so does every other thread using it. That suits a
     * channel owned by one thread; it does not suit a channel shared by the subtasks of a
     * {@code StructuredTaskScope}, whose cancellation interrupts them all, nor a server whose
     * requests are cancelled by interrupting their threads.
     *
     * <p>With this option, an interrupt of a thread blocked in a call of the channel cancels that
     * call and nothing else: the call waits until the kernel has let go of its buffer, then throws
     * {@link InterruptedIOException} with the thread's interrupt status still set, and the channel
     * stays open for the other threads and for later calls. A call made by a thread whose interrupt
     * status is already set throws the same at once, without doing any I/O. A call whose operation
     * completed before the cancellation could take effect returns its result as usual (data read
     * from a pipe is never dropped), with the interrupt status set; and a transfer that had moved
     * some bytes before it was cancelled returns their count, as a short read or write. Waiting for
     * the lock that orders relative reads and writes is interrupted too.
     *
     * <p>{@link InterruptedIOException} was chosen because it is the JDK's exception for an I/O call
     * that was interrupted without anything being closed ({@code ClosedByInterruptException} is a
     * {@code ClosedChannelException}: it says the channel is closed, which it is not here), and it
     * is an {@code IOException}, as every {@code FileChannel} method may throw.
     *
     * <p>What an interrupt cancels depends on the kernel: a read or write of a pipe, FIFO or device,
     * or one still queued, is cancelled; a read or write of a regular file that the kernel has
     * started runs to its end (it takes bounded time) and returns its result. Calls Ringpark leaves
     * to the JDK ({@code map}, {@code lock}, {@code tryLock}) keep the JDK's behaviour, closing the
     * channel. Without native access, where a channel is the JDK's on a pool of platform threads, a
     * call still queued for a thread is cancelled, a call on a regular file runs to its end, and a
     * call blocked on a FIFO, pipe or device, which only closing can stop, closes the channel and
     * throws {@link InterruptedIOException}.
     */
    INTERRUPT_CANCELS_CALL
}
