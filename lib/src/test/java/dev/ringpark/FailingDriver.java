package dev.ringpark;

/*
 * A copy of this class stands in poller's tests: the poller's packages are exported to dev.ringpark
 * only, so a test jar of the poller could not share it without exporting them to everyone.
 */

import dev.ringpark.poller.CompletionReaper;
import dev.ringpark.poller.Driver;
import dev.ringpark.poller.Operation;


import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A driver that delegates to a real one and, once {@linkplain #inject told to}, throws a given error
 * from {@link #await} (a kernel failure or a bug in the driver), from inside the reaping of a
 * completion, or from {@link #submit}, as the poller thread next reaches that point; or
 * {@linkplain #failOnCompletionOf once the kernel has completed a chosen operation}, before the
 * poller hears of it.
 */
final class FailingDriver extends ForwardingDriver {
    /** Where the injected error is thrown. */
    enum Point { AWAIT, REAP, SUBMIT }

    private final AtomicReference<Throwable> injected = new AtomicReference<>();
    private volatile Point point = Point.AWAIT;
    private volatile boolean closed;
    private volatile Predicate<Operation> watched;
    private volatile Runnable beforeFailing;
    /** Poller thread only: the watched-for operations submitted, by user_data. */
    private final Map<Long, Operation> submitted = new HashMap<>();

    FailingDriver(Driver delegate) {
        super(delegate);
    }

    /**
     * From now on the poller thread throws {@code error} at {@code where}; for {@link Point#AWAIT}
     * a blocked await is woken so that it happens at once.
     */
    void inject(Throwable error, Point where) {
        point = where;
        injected.set(error);
        if (where == Point.AWAIT) {
            delegate.wakeup();
        }
    }

    /**
     * Once the kernel completes an operation that {@code which} accepts (submitted from now on), runs
     * {@code beforeFailing} on the poller thread and throws {@code error} instead of reporting the
     * completion: the kernel did the work, the poller never learns it.
     */
    void failOnCompletionOf(Predicate<Operation> which, Runnable beforeFailing, Throwable error) {
        this.beforeFailing = beforeFailing;
        injected.set(error);
        point = Point.REAP;
        watched = which;
    }

    /** Whether the poller closed this driver. */
    boolean closed() {
        return closed;
    }

    @Override
    public String name() {
        return "failing " + delegate.name();
    }

    @Override
    public long submit(Operation operation, long userData) {
        if (point == Point.SUBMIT) {
            throwIfInjected();
        }
        Predicate<Operation> which = watched;
        if (which != null && which.test(operation)) {
            submitted.put(userData, operation);
        }
        return delegate.submit(operation, userData);
    }

    @Override
    public void await(boolean block, CompletionReaper reaper) throws IOException {
        if (point == Point.AWAIT) {
            throwIfInjected();
        }
        delegate.await(block, (userData, result) -> {
            if (watched != null) {
                if (submitted.remove(userData) != null) {
                    beforeFailing.run();
                    throwIfInjected();
                }
            } else if (point == Point.REAP) {
                throwIfInjected();
            }
            reaper.reap(userData, result);
        });
        if (point == Point.AWAIT) {
            throwIfInjected();
        }
    }

    private void throwIfInjected() {
        Throwable error = injected.get();
        if (error != null) {
            FailingDriver.<RuntimeException>sneakyThrow(error);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(Throwable error) throws E {
        throw (E) error;
    }

    @Override
    public void close() {
        closed = true;
        delegate.close();
    }
}
