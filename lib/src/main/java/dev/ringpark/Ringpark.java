package dev.ringpark;

import dev.ringpark.poller.CallerStatistics;
import dev.ringpark.poller.NativeAccess;
import dev.ringpark.poller.NativeBufferPool;
import dev.ringpark.poller.Poller;
import dev.ringpark.poller.PollerStatistics;
import dev.ringpark.poller.ladder.DriverLadder;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Library-wide settings and diagnostics.
 *
 * <p>Settings are system properties read once, when the first channel opens:
 * <ul>
 *   <li>{@value #DRIVER_PROP_NAME}: {@code io_uring}, {@code aio} or {@code threads} runs that driver
 *       and no other, without probing the ones above it (some sandboxes kill a process for a system
 *       call they do not know); unset, the first that works is chosen, top down, and
 *       {@link #driver()} says why the others were skipped.</li>
 *   <li>{@value #RING_ENTRIES_PROP_NAME}: entries in the io_uring submission queue (the completion
 *       queue has twice as many, room for the linked timeouts of calls with a deadline), a power of
 *       two from 8 to 32768; default {@value #RING_ENTRIES_DEFAULT}. One entry is kept for the
 *       poller's wake-up; the rest bound the operations in flight, on every driver (the AIO context
 *       holds at most 256). Callers beyond that wait parked until an entry frees.</li>
 *   <li>{@value #RING_WORKERS_PROP_NAME}: the most worker threads io_uring may start for this
 *       process's operations that would block (opens and {@code statx} of paths out of the caches,
 *       fsync, writes the kernel cannot do inline), from 0 (the kernel's own bound, four per CPU)
 *       to 1024; default {@value #RING_WORKERS_DEFAULT}. Each such worker is a thread of the
 *       process; the measurements behind the default are in {@code docs/ARCHITECTURE.md}.</li>
 *   <li>{@value #POLLER_SPIN_PROP_NAME}: how long, in microseconds (0 to 1000), the poller keeps
 *       looking for a caller's next operation before it sleeps, when it has just completed the last
 *       one it held: the caller it woke often comes back within microseconds, and then neither
 *       signals the poller nor waits for it to wake. It costs the poller's CPU for that long each
 *       time nobody comes. Default {@value #POLLER_SPIN_DEFAULT}; the measurements behind it are in
 *       {@code docs/BENCHMARKS.md}.</li>
 *   <li>{@value #THREADS_PROP_NAME}: the most platform threads of the {@code threads} driver, and
 *       of the pool that runs what the {@code aio} driver cannot (buffered transfers, opens);
 *       default {@value #THREADS_DEFAULT}. They start as needed.</li>
 *   <li>{@value #FAST_READS_PROP_NAME}: whether a buffered read first tries
 *       {@code preadv2(RWF_NOWAIT)} on the calling thread, which answers from the page cache without
 *       the poller's round trip; default {@value #FAST_READS_DEFAULT}. The measurements behind the
 *       default are in {@code docs/ARCHITECTURE.md}.</li>
 * </ul>
 * A value out of range, or not a number, makes every open and {@link #driver()} throw an
 * {@link IOException} that names the property.
 */
public final class Ringpark {
    /** The system property that forces a driver. */
    public static final String DRIVER_PROP_NAME = "ringpark.driver";
    /** The system property that sizes the io_uring queues. */
    public static final String RING_ENTRIES_PROP_NAME = "ringpark.ring.entries";
    /** The queue size when {@value #RING_ENTRIES_PROP_NAME} is not set. */
    public static final int RING_ENTRIES_DEFAULT = 1024;
    /** The system property that bounds io_uring's worker threads. */
    public static final String RING_WORKERS_PROP_NAME = "ringpark.ring.workers";
    /** io_uring's worker bound when {@value #RING_WORKERS_PROP_NAME} is not set. */
    public static final int RING_WORKERS_DEFAULT = 4;
    /** The system property that lets the poller look for the next hand-off before it sleeps. */
    public static final String POLLER_SPIN_PROP_NAME = "ringpark.poller.spinMicros";
    /** The poller's look before sleeping, in microseconds, when {@value #POLLER_SPIN_PROP_NAME} is not set. */
    public static final int POLLER_SPIN_DEFAULT = 0;
    /** The system property that bounds the pool threads. */
    public static final String THREADS_PROP_NAME = "ringpark.threads";
    /** The pool's bound when {@value #THREADS_PROP_NAME} is not set. */
    public static final int THREADS_DEFAULT = 16;
    /** The system property that turns the page-cache fast path of buffered reads on or off. */
    public static final String FAST_READS_PROP_NAME = "ringpark.read.fastPath";
    /** Whether the fast path is on when {@value #FAST_READS_PROP_NAME} is not set. */
    public static final boolean FAST_READS_DEFAULT = true;
    private static final boolean FAST_READS =
            Boolean.parseBoolean(System.getProperty(FAST_READS_PROP_NAME, Boolean.toString(FAST_READS_DEFAULT)));
    /** The name of the MBean that shows {@link #statistics()}, registered once the poller starts. */
    public static final String MXBEAN_NAME = "dev.ringpark:type=Poller";
    private static final String POLLER_THREAD_NAME = "ringpark-poller";
    /** The process-wide poller once it has started, else {@code null}: statistics never start it. */
    private static volatile Poller startedPoller;
    /** Why Ringpark may not call native code, or {@code null}: asked once, before anything binds a downcall. */
    private static final String NATIVE_ACCESS_DENIAL = NativeAccess.denial();

    private Ringpark() {
    }

    /**
     * The driver in use, how it is set up, and why the drivers above it were skipped; starts the
     * poller if it is not running yet.
     *
     * @return the running driver, as {@link DriverReport#toString()} prints it:
     *         {@code "aio (...); skipped: io_uring: io_uring_setup failed: EPERM (...)"}
     * @throws IOException when no driver can run here, saying why for each
     */
    public static DriverReport driver() throws IOException {
        if (offloaded()) {
            return new DriverReport(DriverLadder.Rung.THREADS.label(), OffloadedFileChannel.setup(),
                    List.of(DriverLadder.Rung.IO_URING.label() + ": " + NATIVE_ACCESS_DENIAL,
                            DriverLadder.Rung.AIO.label() + ": " + NATIVE_ACCESS_DENIAL));
        }
        poller();
        return PollerHolder.REPORT;
    }

    /**
     * What Ringpark has done in this process so far: operations through the poller by kind, calls
     * made on the caller instead, the poller's batching and sleeps, depths, native buffers. Counting
     * costs nothing measurable (the figures in {@code docs/BENCHMARKS.md}). Does not start the
     * poller: before it runs, its figures are 0 and the driver is {@code "not started"}; without
     * native access the driver is the JDK's channels on the pool, whose calls are not counted.
     *
     * @return a snapshot, each figure exact but not all taken at the same instant
     */
    public static RingparkStatistics statistics() {
        Poller poller = startedPoller;
        PollerStatistics.Snapshot ring = poller == null ? PollerStatistics.Snapshot.none() : poller.statistics();
        CallerStatistics.Snapshot caller = CallerStatistics.snapshot();
        NativeBufferPool buffers = NativeBufferPool.shared();
        Map<String, Long> completed = new LinkedHashMap<>();
        ring.completed().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> completed.put(entry.getKey().label(), entry.getValue()));
        return new RingparkStatistics(poller == null ? "not started" : poller.driverName(), completed, ring.bytesRead(),
                ring.bytesWritten(), caller.cachedReads(), caller.cachedReadMisses(), caller.opens(), caller.closes(),
                caller.sizes(), ring.cancelled(), ring.kernelCalls(), ring.kernelSubmissions(), ring.sleeps(),
                ring.wakeupSignals(), ring.inFlight(), ring.inFlightHighWater(), ring.backlog(),
                ring.backlogHighWater(), buffers.acquisitions(), buffers.allocatedBytes(), buffers.retiredBytes());
    }

    /**
     * Whether channels are the JDK's, offloaded to platform threads, because native access is denied.
     *
     * @throws IOException when native access is denied and {@value #DRIVER_PROP_NAME} asks for a
     *         driver that needs it
     */
    static boolean offloaded() throws IOException {
        if (NATIVE_ACCESS_DENIAL == null) {
            return false;
        }
        try {
            DriverLadder.Rung forced = forcedDriver();
            if (forced != null && forced != DriverLadder.Rung.THREADS) {
                throw new IOException(DRIVER_PROP_NAME + "=" + forced.label() + " cannot run: " + NATIVE_ACCESS_DENIAL);
            }
            threads(); // checked before the pool it sizes is built, as the poller's ladder checks it
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        return true;
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
        int entries = intProperty(RING_ENTRIES_PROP_NAME, RING_ENTRIES_DEFAULT);
        if (entries < 8 || entries > 32768 || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException(RING_ENTRIES_PROP_NAME + " must be a power of two from 8 to 32768, was: "
                    + System.getProperty(RING_ENTRIES_PROP_NAME));
        }
        return entries;
    }

    static int threads() {
        int threads = intProperty(THREADS_PROP_NAME, THREADS_DEFAULT);
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException(THREADS_PROP_NAME + " must be from 1 to 1024, was: "
                    + System.getProperty(THREADS_PROP_NAME));
        }
        return threads;
    }

    /** The property's value, or {@code fallback} when unset; -1 when it is not a number. */
    private static int intProperty(String name, int fallback) {
        String value = System.getProperty(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static int ringWorkers() {
        int workers = intProperty(RING_WORKERS_PROP_NAME, RING_WORKERS_DEFAULT);
        if (workers < 0 || workers > 1024) {
            throw new IllegalArgumentException(RING_WORKERS_PROP_NAME + " must be from 0 to 1024, was: "
                    + System.getProperty(RING_WORKERS_PROP_NAME));
        }
        return workers;
    }

    static int pollerSpinMicros() {
        int micros = intProperty(POLLER_SPIN_PROP_NAME, POLLER_SPIN_DEFAULT);
        if (micros < 0 || micros > 1000) {
            throw new IllegalArgumentException(POLLER_SPIN_PROP_NAME + " must be from 0 to 1000, was: "
                    + System.getProperty(POLLER_SPIN_PROP_NAME));
        }
        return micros;
    }

    static DriverLadder ladder() {
        DriverLadder.Rung forced = forcedDriver();
        DriverLadder.Settings settings = new DriverLadder.Settings(ringEntries(), threads(), ringWorkers());
        return forced == null ? DriverLadder.probing(settings) : DriverLadder.forced(forced, settings);
    }

    /** The driver {@value #DRIVER_PROP_NAME} names, or {@code null} when it is unset. */
    private static DriverLadder.Rung forcedDriver() {
        String forced = System.getProperty(DRIVER_PROP_NAME);
        try {
            return forced == null ? null : DriverLadder.Rung.labelled(forced);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(DRIVER_PROP_NAME + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the {@code java.management} module, which the statistics MBean implements an interface
     * of, is in this JVM: an application launched from a named module that does not require it runs
     * without it, and Ringpark then registers no MBean.
     */
    private static boolean managementPresent() {
        try {
            Class.forName("javax.management.DynamicMBean", false, Ringpark.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException absent) {
            return false;
        }
    }

    /** Starts the poller once; a failure to start is kept and reported by every later call. */
    private static final class PollerHolder {
        static final Poller POLLER;
        static final DriverReport REPORT;
        static final IOException FAILURE;

        static {
            Poller poller = null;
            DriverReport report = null;
            IOException failure = null;
            try {
                DriverLadder ladder = ladder();
                poller = Poller.start(POLLER_THREAD_NAME, ladder, TimeUnit.MICROSECONDS.toNanos(pollerSpinMicros()));
                report = new DriverReport(poller.driverName(), poller.driverSetup(), ladder.skipped());
                startedPoller = poller;
                if (managementPresent()) {
                    StatisticsMBean.registerSoon();
                }
            } catch (IOException | IllegalArgumentException e) {
                failure = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
            POLLER = poller;
            REPORT = report;
            FAILURE = failure;
        }
    }
}
