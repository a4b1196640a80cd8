package dev.ringpark;

import dev.ringpark.poller.CompletionReaper;
import dev.ringpark.poller.Driver;
import dev.ringpark.poller.Operation;
import dev.ringpark.poller.Poller;
import dev.ringpark.poller.ladder.DriverLadder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * A driver that delegates to the one the run asks for, records every operation handed to it, and
 * holds back the completions of those a test chooses until the test {@linkplain #release releases}
 * them: their callers stay parked meanwhile, where a test can see them.
 */
final class HoldingDriver extends ForwardingDriver {
    private final ConcurrentLinkedQueue<Operation> submitted = new ConcurrentLinkedQueue<>();
    private volatile Predicate<Operation> held = operation -> false;
    private volatile boolean released;
    /** Poller thread only: user_data of the held operations submitted, and their results once in. */
    private final Map<Long, Operation> heldInFlight = new HashMap<>();
    private final Map<Long, Integer> heldResults = new HashMap<>();

    private HoldingDriver(Driver delegate) {
        super(delegate);
    }

    /**
     * A poller of its own on the driver {@code ringpark.driver} names; when unset, on the first the
     * kernel allows here (io_uring where it is not refused), as probing would choose.
     */
    static Poller start(java.util.concurrent.atomic.AtomicReference<HoldingDriver> driver) throws IOException {
        DriverLadder.Rung rung = ThisMachine.askedDriver().orElseGet(ThisMachine::firstWorkingDriver);
        return Poller.start("holding-poller", () -> {
            HoldingDriver holding = new HoldingDriver(DriverLadder.forced(rung,
                    new DriverLadder.Settings(64, 4, 0)).get());
            driver.set(holding);
            return holding;
        });
    }

    /** From now on, the completions of operations {@code which} accepts wait for {@link #release}. */
    void hold(Predicate<Operation> which) {
        released = false;
        held = which;
    }

    /** Reports the held completions, and those of later held operations at once. */
    void release() {
        released = true;
        delegate.wakeup();
    }

    /** The operations handed to the driver so far that {@code which} accepts. */
    List<Operation> submitted(Predicate<Operation> which) {
        List<Operation> matching = new ArrayList<>();
        for (Operation operation : submitted) {
            if (which.test(operation)) {
                matching.add(operation);
            }
        }
        return matching;
    }

    @Override
    public long submit(Operation operation, long userData) {
        submitted.add(operation);
        if (held.test(operation)) {
            heldInFlight.put(userData, operation);
        }
        return delegate.submit(operation, userData);
    }

    @Override
    public void await(boolean block, CompletionReaper reaper) throws IOException {
        delegate.await(block, (userData, result) -> {
            if (heldInFlight.remove(userData) != null && !released) {
                heldResults.put(userData, result);
            } else {
                reaper.reap(userData, result);
            }
        });
        if (released && !heldResults.isEmpty()) {
            heldResults.forEach(reaper::reap);
            heldResults.clear();
        }
    }
}
