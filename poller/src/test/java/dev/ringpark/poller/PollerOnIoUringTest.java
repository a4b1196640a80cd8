package dev.ringpark.poller;

import dev.ringpark.poller.ladder.DriverLadder;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link PollerContract} on the io_uring driver. */
@ThisMachine.NeedsDriver(DriverLadder.Rung.IO_URING)
class PollerOnIoUringTest extends PollerContract {
    @Test
    void describesTheRingItRuns() {
        assertTrue(poller.driverSetup().contains("sq=8"), poller.driverSetup());
    }

    @Override
    DriverLadder.Rung rung() {
        return DriverLadder.Rung.IO_URING;
    }
}
