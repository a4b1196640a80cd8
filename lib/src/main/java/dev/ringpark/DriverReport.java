package dev.ringpark;

import java.util.List;

/**
 * Which driver Ringpark runs on, how it is set up, and why each driver above it was skipped.
 *
 * @param driver  {@code io_uring}, {@code aio} or {@code threads}
 * @param setup   what the driver runs with, e.g. its io_uring features or its thread count
 * @param skipped one line per driver tried and skipped, top down, e.g.
 *                {@code "io_uring: io_uring_setup failed: EPERM (...), blocked by a seccomp profile"};
 *                empty when the first driver tried runs, or when {@value Ringpark#DRIVER_PROP_NAME}
 *                chose it
 */
public record DriverReport(String driver, String setup, List<String> skipped) {
    /** Copies {@code skipped}, which must not be null. */
    public DriverReport {
        skipped = List.copyOf(skipped);
    }

    /** {@code "driver (setup)"}, then {@code "; skipped: "} and the reasons, if any. */
    @Override
    public String toString() {
        String inUse = driver + " (" + setup + ")";
        return skipped.isEmpty() ? inUse : inUse + "; skipped: " + String.join("; ", skipped);
    }
}
