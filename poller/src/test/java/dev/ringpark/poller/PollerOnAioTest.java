package dev.ringpark.poller;

import dev.ringpark.poller.ladder.DriverLadder;

/** {@link PollerContract} on the aio driver. */
@ThisMachine.NeedsDriver(DriverLadder.Rung.AIO)
class PollerOnAioTest extends PollerContract {
    @Override
    DriverLadder.Rung rung() {
        return DriverLadder.Rung.AIO;
    }
}
