package dev.ringpark;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/** Runs test code in a virtual thread, the way the library is meant to be used. */
final class VirtualThreads {
    private VirtualThreads() {}

    /** Calls {@code task} in a new virtual thread and returns its result or throws what it threw. */
    static <T> T call(Callable<T> task) throws Exception {
        FutureTask<T> future = new FutureTask<>(task);
        Thread thread = Thread.ofVirtual().name("side-by-side").start(future);
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        } finally {
            thread.join();
        }
    }

    /** Whether the thread is parked (or waiting), as a blocked virtual thread should be. */
    static boolean isParked(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }

    /** Waits until the thread parks; fails if it ends or does not park within the time given. */
    static void awaitParked(Thread thread, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!isParked(thread)) {
            if (!thread.isAlive()) {
                throw new AssertionError(thread + " ended instead of blocking");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(thread + " did not park within " + timeoutMillis + " ms; state "
                        + thread.getState());
            }
            Thread.sleep(5);
        }
    }
}
