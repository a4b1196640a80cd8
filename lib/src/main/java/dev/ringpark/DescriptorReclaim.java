package dev.ringpark;

import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.Poller;

import java.io.IOException;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes the descriptor of a channel that became unreachable without being closed, as the JDK's
 * {@code FileChannelImpl} does through the cleaner of its {@code FileDescriptor}: a program that
 * drops its channels unclosed leaks no descriptors.
 *
 * <p>What must become unreachable is the channel's {@link FileHandle}, not the channel: every
 * operation in flight holds the handle, and the poller holds each operation until the kernel has
 * answered, so the descriptor is never closed while the kernel may still use it (a caller parked in a
 * call may hold nothing of the channel itself any more).
 *
 * <p>Either the channel closes its descriptor or the reclaim does, never both: each must first
 * {@linkplain #claim claim} the descriptor, an atomic removal from the set of pending reclaims that
 * only one of them can win (jcstress {@code ReclaimClaim}). The channel claims it while it still
 * holds the handle, so the reclaim, which runs only once the handle is unreachable, finds it
 * claimed or wins it alone.
 *
 * <p>Not {@link java.lang.ref.Cleaner}: its list of cleanables is one monitor, which every open and
 * close would take: with 16 threads opening and closing cached files it cost 6–11% of their rate,
 * where the concurrent set here costs nothing visible (docs/BENCHMARKS.md, "Descriptors of dropped
 * channels"). The reclaims run on one virtual thread, started with the first channel, which holds
 * no OS thread while it waits: {@link ReferenceQueue#remove()} waits in {@code Object.wait}, which
 * unmounts a virtual thread since JDK 24. It closes each descriptor through the handle's poller, as
 * a channel's close does where {@code close(2)} may wait (the last close of an unlinked file, a
 * remote file system's flush), so that no carrier waits in the kernel either.
 */
final class DescriptorReclaim extends PhantomReference<FileHandle> {
    /** Where the collector puts a reclaim whose handle became unreachable. */
    private static final ReferenceQueue<FileHandle> UNREACHABLE = new ReferenceQueue<>();
    /** The reclaims not yet claimed; holding them here keeps them alive until the collector queues them. */
    private static final Set<DescriptorReclaim> PENDING = ConcurrentHashMap.newKeySet();

    static {
        // This class is first initialised by the first channel's register(): the thread starts then.
        Thread.ofVirtual().name("ringpark-reclaim").start(DescriptorReclaim::reclaimForever);
    }

    private final int fd;
    /** The poller of the handle's channel, which closes the descriptor. */
    private final Poller poller;

    private DescriptorReclaim(FileHandle handle, Poller poller) {
        super(handle, UNREACHABLE);
        this.fd = handle.fd();
        this.poller = poller;
    }

    /** The reclaim thread: closes the descriptor of each unreachable handle that nobody claimed. */
    private static void reclaimForever() {
        for (;;) {
            try {
                DescriptorReclaim reclaim = (DescriptorReclaim) UNREACHABLE.remove();
                if (reclaim.claim()) {
                    DescriptorCalls.closeThrough(reclaim.poller, reclaim.fd);
                }
            } catch (IOException mayHaveRun) {
                // The poller failed while the kernel held the close: a leak is better than closing a
                // number that may be another file's by now, as a channel's own close decides.
            } catch (InterruptedException e) {
                // Nobody interrupts this thread on purpose: go on waiting.
            }
        }
    }

    /**
     * Closes {@code handle}'s descriptor through {@code poller} once the handle becomes unreachable,
     * unless claimed before.
     */
    static DescriptorReclaim register(FileHandle handle, Poller poller) {
        DescriptorReclaim reclaim = new DescriptorReclaim(handle, poller);
        PENDING.add(reclaim);
        return reclaim;
    }

    /**
     * Takes the descriptor's close for the caller: {@code true} for exactly one caller, the channel
     * or the reclaim, however they race.
     */
    boolean claim() {
        return PENDING.remove(this);
    }

    /**
     * The descriptor's number, which no other reclaim in {@link #PENDING} has: each stands for a
     * descriptor still open. Spares an identity hash per channel; equality stays identity.
     */
    @Override
    public int hashCode() {
        return fd;
    }

    /**
     * The channel is about to close {@code handle}'s descriptor itself: the reclaim will not. The
     * handle is kept reachable until the claim is made.
     */
    void disarm(FileHandle handle) {
        claim(); // always won: the reclaim is queued only once the handle, which the caller holds, is unreachable
        clear(); // the collector need not track the handle any more
        Reference.reachabilityFence(handle);
    }
}
