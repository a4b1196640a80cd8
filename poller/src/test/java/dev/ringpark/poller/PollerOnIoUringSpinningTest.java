package dev.ringpark.poller;

import dev.ringpark.poller.ladder.DriverLadder;

/** {@link PollerContract} on the io_uring driver, the poller looking for the next hand-off before it sleeps. */
@ThisMachine.NeedsDriver(DriverLadder.Rung.IO_URING)
class PollerOnIoUringSpinningTest extends PollerContract {
    @Override
    DriverLadder.Rung rung() {
        return DriverLadder.Rung.IO_URING;
    }

    @Override
    long spinNanos() {
        return 50_000;
    }
}
