package dev.ringpark.jcstress;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Turns a hang in a forked test JVM into a crash that jcstress reports.
 *
 * <p>jcstress 0.16 times out the measured run of a test (after 30 s it records TIMEOUT, or STALE for
 * a termination test), but not the two short runs it makes first, the API check and the stride
 * estimate: it joins their actor threads with no time limit. A lost wake-up there, which is what
 * these tests look for, would hang the whole run for ever instead of failing it. So the actors of
 * the continuous tests make each call that may block through {@link #watch}: when calls are under way
 * and none has returned for {@value #LIMIT_SECONDS} s, the watchdog prints every thread's stack and
 * halts the JVM, and jcstress reports the test as crashed (a VM error).
 */
public final class Watchdog {
    /** How long calls may be under way with none returning; jcstress's own timeouts come first. */
    public static final long LIMIT_SECONDS = 60;
    /** The exit status of a halted JVM. */
    private static final int HALT_STATUS = 86;

    private static final AtomicInteger UNDER_WAY = new AtomicInteger();
    private static final AtomicLong RETURNED = new AtomicLong();

    static {
        Thread.ofPlatform().name("ringpark-jcstress-watchdog").daemon().start(Watchdog::watchOver);
    }

    private Watchdog() {
    }

    /** Makes a call that may block under watch, and returns its result. */
    public static boolean watch(BooleanSupplier blockingCall) {
        UNDER_WAY.incrementAndGet();
        try {
            return blockingCall.getAsBoolean();
        } finally {
            returned();
        }
    }

    /** Makes a call that may block under watch, and returns its result. */
    public static int watch(IntSupplier blockingCall) {
        UNDER_WAY.incrementAndGet();
        try {
            return blockingCall.getAsInt();
        } finally {
            returned();
        }
    }

    /** Makes a call that may block under watch. */
    public static void watch(Runnable blockingCall) {
        UNDER_WAY.incrementAndGet();
        try {
            blockingCall.run();
        } finally {
            returned();
        }
    }

    private static void returned() {
        RETURNED.incrementAndGet();
        UNDER_WAY.decrementAndGet();
    }

    private static void watchOver() {
        long limitNanos = TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
        long lastReturned = RETURNED.get();
        long quietSince = System.nanoTime();
        for (;;) {
            try {
                TimeUnit.SECONDS.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
            long returned = RETURNED.get();
            if (returned != lastReturned || UNDER_WAY.get() == 0) {
                lastReturned = returned;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > limitNanos) {
                halt();
            }
        }
    }

    private static void halt() {
        StringBuilder report = new StringBuilder("Ringpark watchdog: ").append(UNDER_WAY.get())
                .append(" blocking call(s) under way and none returned for ").append(LIMIT_SECONDS)
                .append(" s: a lost wake-up. Halting this JVM so that jcstress reports the test as failed.\n");
        for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
            report.append('"').append(thread.getKey().getName()).append("\" ")
                    .append(thread.getKey().getState()).append('\n');
            for (StackTraceElement frame : thread.getValue()) {
                report.append("    at ").append(frame).append('\n');
            }
        }
        System.err.print(report);
        System.err.flush();
        Runtime.getRuntime().halt(HALT_STATUS);
    }
}
