package dev.ringpark;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the platform threads Ringpark runs blocking calls on (daemons, named {@code prefix} and a
 * number, so that they never hold the JVM up) and waits for what they do.
 */
final class PlatformThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger created = new AtomicInteger();

    PlatformThreads(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
        return Thread.ofPlatform().daemon().name(prefix + created.incrementAndGet()).unstarted(task);
    }

    /**
     * Parks until {@code future} is done, through interrupts (the interrupt status is kept), as the
     * JDK's open, which no interrupt ends, waits.
     *
     * @return the result
     * @throws IOException what the call threw, as it was when it was an {@code IOException}
     */
    static <T> T awaitUninterruptibly(Future<T> future) throws IOException {
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw rethrow(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What a call on another thread threw, to be thrown again: unchecked ones as they are. */
    static IOException rethrow(Throwable cause) {
        return switch (cause) {
            case IOException io -> io;
            case RuntimeException runtime -> throw runtime;
            case Error error -> throw error;
            default -> new IOException(cause);
        };
    }
}
