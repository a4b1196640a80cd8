package dev.ringpark.poller;

/** {@link PollerContract} on the threads driver. */
class PollerOnThreadsTest extends PollerContract {
    @Override
    DriverLadder.Rung rung() {
        return DriverLadder.Rung.THREADS;
    }
}
