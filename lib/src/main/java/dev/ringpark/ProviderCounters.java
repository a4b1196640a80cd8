package dev.ringpark;

import java.util.concurrent.atomic.LongAdder;

/**
 * What {@link RingFileSystemProvider} handed to Ringpark, for tests that prove the I/O of
 * {@code java.nio.file.Files} went through it. A class of its own, first loaded when a channel
 * opens, so that the provider's construction early in start-up loads nothing more than it needs.
 */
final class ProviderCounters {
    /** Channels and streams the provider (and its secure directory streams) opened through Ringpark. */
    static final LongAdder CHANNELS_OPENED = new LongAdder();

    private ProviderCounters() {
    }

    static void opened() {
        CHANNELS_OPENED.increment();
    }
}
