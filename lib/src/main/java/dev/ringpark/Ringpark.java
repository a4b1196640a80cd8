package dev.ringpark;

import dev.ringpark.poller.Poller;
import dev.ringpark.poller.Drivers;

import java.io.IOException;

/**
 * Library-wide settings and diagnostics.
 *
 * <p>Settings are system properties read once, when the first channel opens:
 * <ul>
 *   <li>{@value #RING_ENTRIES_PROP_NAME}: entries in the io_uring submission and completion queues,
 *       a power of two from 8 to 32768; default {@value #RING_ENTRIES_DEFAULT}. One entry is kept
 *       for the poller's wake-up; the rest bound the operations in flight. Callers beyond that wait
 *       parked until an entry frees.</li>
 *   <li>{@value #FAST_READS_PROP_NAME}: whether a buffered read first tries
 *       {@code preadv2(RWF_NOWAIT)} on the calling thread, which answers from the page cache without
 *       the poller's round trip; default {@value #FAST_READS_DEFAULT}. The measurements behind the
 *       default are in {@code docs/ARCHITECTURE.md}.</li>
 * </ul>
 */
public final class Ringpark {
    /** The system property that sizes the io_uring queues. */
    public static final String RING_ENTRIES_PROP_NAME = "ringpark.ring.entries";
    /** The queue size when {@value #RING_ENTRIES_PROP_NAME} is not set. */
    public static final int RING_ENTRIES_DEFAULT = 1024;
    /** The system property that turns the page-cache fast path of buffered reads on or off. */
    public static final String FAST_READS_PROP_NAME = "ringpark.read.fastPath";
    /** Whether the fast path is on when {@value #FAST_READS_PROP_NAME} is not set. */
    public static final boolean FAST_READS_DEFAULT = true;
    private static final boolean FAST_READS =
            Boolean.parseBoolean(System.getProperty(FAST_READS_PROP_NAME, Boolean.toString(FAST_READS_DEFAULT)));
    private static final String POLLER_THREAD_NAME = "ringpark-poller";

    private Ringpark() {
    }

    /**
     * The driver in use and how it is set up, e.g.
     * {@code "io_uring (SINGLE_ISSUER DEFER_TASKRUN SUBMIT_ALL NO_SQARRAY NO_IOWAIT sq=1024 cq=1024)"};
     * starts the poller if it is not running yet.
     *
     * @return the driver's name, with its setup in parentheses
     * @throws IOException when no driver can run here, saying why
     */
    public static String driver() throws IOException {
        return poller().describe();
    }

    /** The process-wide poller, started on first use. */
    static Poller poller() throws IOException {
        if (PollerHolder.FAILURE != null) {
            throw new IOException(PollerHolder.FAILURE.getMessage(), PollerHolder.FAILURE);
        }
        return PollerHolder.POLLER;
    }

    /** Whether channels on buffered files try the page-cache fast path first. */
    static boolean fastReads() {
        return FAST_READS;
    }

    static int ringEntries() {
        String value = System.getProperty(RING_ENTRIES_PROP_NAME);
        if (value == null) {
            return RING_ENTRIES_DEFAULT;
        }
        int entries;
        try {
            entries = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            entries = -1;
        }
        if (entries < 8 || entries > 32768 || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException(RING_ENTRIES_PROP_NAME + " must be a power of two from 8 to 32768, was: "
                    + value);
        }
        return entries;
    }

    /** Starts the poller once; a failure to start is kept and reported by every later call. */
    private static final class PollerHolder {
        static final Poller POLLER;
        static final IOException FAILURE;

        static {
            Poller poller = null;
            IOException failure = null;
            try {
                int entries = ringEntries();
                poller = Poller.start(POLLER_THREAD_NAME, Drivers.ioUring(entries));
            } catch (IOException | IllegalArgumentException e) {
                failure = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
            POLLER = poller;
            FAILURE = failure;
        }
    }
}
