package dev.ringpark.benchmarks;

import java.io.IOException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Locale;

import static java.nio.file.StandardOpenOption.READ;

/**
 * What the page cache holds when a measurement starts, and how the file is opened for it.
 *
 * <p>These machines page out cache that has been idle for about 30 s, so the state is set right
 * before each measurement iteration, never once for a whole run.
 */
enum CacheState {
    /** Buffered reads of a file dropped from the cache before the iteration and again each time the readers come back to its start. */
    COLD(READ),
    /** Buffered reads of a file read fully just before the iteration. */
    HOT(READ),
    /** {@code O_DIRECT} reads (4096-aligned buffers), which bypass the cache; it is dropped all the same. */
    DIRECT(READ, directOpenOption());

    private final OpenOption[] openOptions;

    CacheState(OpenOption... openOptions) {
        this.openOptions = openOptions;
    }

    /** The state a {@code cache} parameter names: {@code cold}, {@code hot} or {@code direct}. */
    static CacheState named(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** The options to open the file with for reading. */
    OpenOption[] openOptions() {
        return openOptions.clone();
    }

    /** Puts the file's pages in this state; called right before a measurement starts. */
    void prepare(Path file) throws IOException {
        switch (this) {
            case COLD, DIRECT -> PageCache.drop(file);
            case HOT -> PageCache.fill(file);
        }
    }

    /**
     * Called when the readers start over from the beginning of the file within a measurement: a
     * cold run drops the cache again, so that no read finds a block an earlier one brought in.
     */
    void restart(Path file) throws IOException {
        if (this == COLD) {
            PageCache.drop(file);
        }
    }

    /**
     * {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, looked up by name: javac calls any
     * mention of {@code jdk.unsupported} "internal proprietary API", a warning no annotation
     * suppresses and that {@code -Werror} makes fatal.
     */
    private static OpenOption directOpenOption() {
        try {
            return (OpenOption) Class.forName("com.sun.nio.file.ExtendedOpenOption").getField("DIRECT").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this JDK has no com.sun.nio.file.ExtendedOpenOption.DIRECT", e);
        }
    }
}
