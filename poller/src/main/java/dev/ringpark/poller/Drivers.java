package dev.ringpark.poller;

import dev.ringpark.poller.uring.UringDriver;

import java.util.function.Supplier;

/** The drivers a {@link Poller} can run, as factories to call on the poller thread. */
public final class Drivers {
    private Drivers() {
    }

    /**
     * io_uring with {@code entries} submission and completion entries.
     *
     * @see UringDriver#UringDriver(int)
     */
    public static Supplier<Driver> ioUring(int entries) {
        return () -> new UringDriver(entries);
    }
}
