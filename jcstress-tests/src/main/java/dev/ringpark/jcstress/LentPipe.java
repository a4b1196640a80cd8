package dev.ringpark.jcstress;

import dev.ringpark.JcstressPipes;
import dev.ringpark.poller.ladder.DriverLadder;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pipe of one round of a test whose two actors race on it ({@link JcstressPipes}): taken by the
 * first actor to touch the round, drained and given back by the second to finish it, which records
 * how many bytes were left for the arbiter.
 */
final class LentPipe {
    private final DriverLadder.Rung rung;
    private final AtomicReference<JcstressPipes.Pipe> pipe = new AtomicReference<>();
    private final AtomicInteger finished = new AtomicInteger();
    /** Bytes left in the pipe once both actors were done; written before the arbiter runs. */
    private int left = -1;
    /** Whether the channel was open once both actors were done. */
    private boolean open;

    LentPipe(DriverLadder.Rung rung) {
        this.rung = rung;
    }

    JcstressPipes.Pipe get() {
        JcstressPipes.Pipe current = pipe.get();
        if (current != null) {
            return current;
        }
        JcstressPipes.Pipe taken = JcstressPipes.take(rung);
        if (pipe.compareAndSet(null, taken)) {
            return taken;
        }
        JcstressPipes.drainAndGiveBack(rung, taken);
        return pipe.get();
    }

    /** Each actor, last: the second one drains the pipe and gives it back. */
    void actorDone() {
        if (finished.incrementAndGet() == 2) {
            JcstressPipes.Pipe used = get();
            open = used.channel().isOpen();
            left = JcstressPipes.drainAndGiveBack(rung, used);
        }
    }

    /** Bytes the pipe held once both actors were done. */
    int left() {
        return left;
    }

    /** Whether the channel was open once both actors were done. */
    boolean channelOpen() {
        return open;
    }
}
