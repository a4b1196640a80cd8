package dev.ringpark.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link Load} whose operations are whole passes over a large file, measured in the bytes they
 * move as they move them: each pass gets an output stream that drops what it is given and counts
 * it (or counts what the pass reports itself), and each sample reports the MiB moved since the last.
 */
final class Transfers {
    private static final long MIB = 1 << 20;

    /** One pass: {@code pass} counts the caller's passes from 0; bytes go to, or are reported through, {@code counted}. */
    @FunctionalInterface
    interface Pass {
        void run(long pass, Counted counted) throws IOException;
    }

    /** An output stream that drops its bytes and counts them; {@link #add} counts bytes moved elsewhere. */
    static final class Counted extends OutputStream {
        private final LongAdder bytes;

        Counted(LongAdder bytes) {
            this.bytes = bytes;
        }

        /** Counts {@code moved} bytes a pass moved without this stream (a channel's transfer). */
        void add(long moved) {
            bytes.add(moved);
        }

        @Override
        public void write(int b) {
            bytes.increment();
        }

        @Override
        public void write(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            bytes.add(len);
        }
    }

    private final LongAdder bytes = new LongAdder();
    private final Load load;
    private double lastExactMebibytes;
    private long lastWholeMebibytes;

    private Transfers(int callers, Pass pass) {
        long[] passes = new long[callers];
        load = Load.start(callers, caller -> pass.run(passes[caller]++, new Counted(bytes)));
    }

    /** Starts {@code callers} virtual threads, each repeating {@code pass}. */
    static Transfers start(int callers, Pass pass) {
        return new Transfers(callers, pass);
    }

    /** Waits one sample period and adds the MiB moved meanwhile to the counters (CPU time per MiB). */
    void sample(ByteCounter counter, ResourceUse resources) throws IOException, InterruptedException {
        Load.Progress progress = load.awaitProgress();
        long total = bytes.sum();
        double exact = (double) total / MIB;
        counter.mebibytes += exact - lastExactMebibytes;
        lastExactMebibytes = exact;
        long whole = total / MIB;
        resources.add(new Load.Progress(whole - lastWholeMebibytes, progress.cpuNanos()));
        lastWholeMebibytes = whole;
    }

    /** Stops the callers after their current pass. */
    void stop() throws IOException, InterruptedException {
        load.stop();
    }
}
