package dev.ringpark.poller.ladder;

import dev.ringpark.poller.Driver;
import dev.ringpark.poller.Poller;
import dev.ringpark.poller.aio.AioDriver;
import dev.ringpark.poller.threads.ThreadPoolDriver;
import dev.ringpark.poller.uring.UringDriver;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Creates the first driver that works here, top down: io_uring, then Linux AIO, then the thread
 * pool, and keeps why each rung above the chosen one was skipped. A {@link Poller} calls it once, on
 * its own thread; {@link #skipped()} may be read once {@link Poller#start} has returned.
 */
public final class DriverLadder implements Supplier<Driver> {
    /** A rung of the ladder, named as {@code ringpark.driver} names it. */
    public enum Rung {
        IO_URING, AIO, THREADS;

        /** {@code io_uring}, {@code aio} or {@code threads}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The rung labelled {@code label}.
         *
         * @throws IllegalArgumentException naming the labels there are
         */
        public static Rung labelled(String label) {
            for (Rung rung : values()) {
                if (rung.label().equals(label.trim())) {
                    return rung;
                }
            }
            throw new IllegalArgumentException("no driver \"" + label + "\"; there are io_uring, aio and threads");
        }
    }

    /**
     * The largest AIO context asked for: every context counts against the system-wide
     * {@code fs.aio-max-nr} (65536 by default), which other processes share.
     */
    private static final int AIO_EVENTS_MAX = 256;

    /**
     * What every rung is built with.
     *
     * @param entries      io_uring's queue size, and the most operations in flight on any driver
     * @param threads      the most pool threads (the thread pool's, AIO's helper pool, or io_uring's
     *                     for opcodes the kernel lacks)
     * @param ringWorkers  the most io-wq workers io_uring may start; 0 leaves the kernel's bound
     */
    public record Settings(int entries, int threads, int ringWorkers) {
    }

    private final List<Rung> rungs;
    private final Settings settings;
    private final List<String> skipped = new ArrayList<>();

    private DriverLadder(List<Rung> rungs, Settings settings) {
        this.rungs = rungs;
        this.settings = settings;
    }

    /** Every rung, top down. */
    public static DriverLadder probing(Settings settings) {
        return new DriverLadder(List.of(Rung.values()), settings);
    }

    /** {@code rung} alone, without touching the others: for sandboxes that kill on an unknown system call. */
    public static DriverLadder forced(Rung rung, Settings settings) {
        return new DriverLadder(List.of(rung), settings);
    }

    /**
     * @throws IllegalStateException when no rung works, with every rung's reason
     */
    @Override
    public Driver get() {
        for (Rung rung : rungs) {
            try {
                return create(rung);
            } catch (IllegalStateException e) {
                skipped.add(rung.label() + ": " + e.getMessage());
            }
        }
        throw new IllegalStateException("no driver works here: " + String.join("; ", skipped));
    }

    private Driver create(Rung rung) {
        return switch (rung) {
            case IO_URING -> new UringDriver(settings.entries(), settings.ringWorkers(), settings.threads());
            case AIO -> new AioDriver(Math.min(settings.entries(), AIO_EVENTS_MAX), settings.threads());
            case THREADS -> new ThreadPoolDriver(settings.threads(), settings.entries());
        };
    }

    /** Why each rung above the running driver was skipped, top down, e.g. {@code "io_uring: ... EPERM ..."}. */
    public List<String> skipped() {
        return List.copyOf(skipped);
    }
}
