package dev.ringpark;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.FileChannel;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;

/**
 * The checks {@code transferTo} and {@code transferFrom} make of the channel at the other end, which
 * the JDK's {@code FileChannelImpl} makes of its own kind only: a target must be writable, a source
 * readable. A Ringpark channel says; the JDK's file channel keeps its access mode private, so it is
 * asked with the JDK's own check, an empty positional read or write (which makes no system call).
 */
final class PeerChecks {
    /** The class of the JDK's own file channel: the only one its transfers check. */
    private static final String JDK_FILE_CHANNEL = "sun.nio.ch.FileChannelImpl";

    private PeerChecks() {
    }

    /** @throws NonReadableChannelException when {@code src} is a file channel not open for reading */
    static void ensureReadable(Channel src) {
        if (src instanceof PollerFileChannel ring) {
            TransferChecks.ensureReadable(ring.end().readable());
        } else if (isJdkFileChannel(src)) {
            ask(() -> ((FileChannel) src).read(ByteBuffer.allocate(0), 0));
        }
    }

    /** @throws NonWritableChannelException when {@code target} is a file channel not open for writing */
    static void ensureWritable(Channel target) {
        if (target instanceof PollerFileChannel ring) {
            TransferChecks.ensureWritable(ring.end().writable());
        } else if (isJdkFileChannel(target)) {
            ask(() -> ((FileChannel) target).write(ByteBuffer.allocate(0), 0));
        }
    }

    /** Whether {@code channel} is the JDK's own file channel, whose checks the JDK's transfers make. */
    static boolean isJdkFileChannel(Channel channel) {
        return channel.getClass().getName().equals(JDK_FILE_CHANNEL);
    }

    /** An empty transfer of the JDK's channel. */
    @FunctionalInterface
    private interface Probe {
        int run() throws IOException;
    }

    /**
     * Makes the empty transfer, which checks the access mode before anything else and then transfers
     * nothing, with the caller's interrupt status put aside: an interrupt is the transfer's to act on,
     * not the probe's (the JDK's channel would close itself).
     */
    private static void ask(Probe probe) {
        boolean interrupted = Thread.interrupted();
        try {
            probe.run();
        } catch (IOException ignored) {
            // closed meanwhile, say: the transfer itself will tell
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
