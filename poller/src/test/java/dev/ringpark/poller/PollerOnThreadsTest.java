package dev.ringpark.poller;

import dev.ringpark.poller.ladder.DriverLadder;

/** {@link PollerContract} on the threads driver. */
class PollerOnThreadsTest extends PollerContract {
    @Override
    DriverLadder.Rung rung() {
        return DriverLadder.Rung.THREADS;
    }
}
