package dev.ringpark.jcstress;

import dev.ringpark.JcstressPipes;
import dev.ringpark.poller.ladder.DriverLadder;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pipe of one round of a test whose two actors race on it ({@link JcstressPipes}): taken by the
 * first actor to touch the round, drained and given back by the second to finish it, which records
 * how many bytes were left for the arbiter.
 *
 * <p>A round finds no pipe when too many are lent already ({@link JcstressPipes#tryTake}): then
 * {@link #get} answers {@code null} to both actors alike, neither does anything, and the arbiter sees
 * {@code -1} bytes left and the channel open. Tests whose actors wait for each other within a round
 * never have more than two rounds' pipes out and never see it.
 */
final class LentPipe {
    /** Stands for "no pipe could be lent to this round". */
    private static final JcstressPipes.Pipe NONE = new JcstressPipes.Pipe(null, -1, -1);

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

    /** The round's pipe, the same for both actors; {@code null} when none could be lent to it. */
    JcstressPipes.Pipe get() {
        JcstressPipes.Pipe current = pipe.get();
        if (current == null) {
            JcstressPipes.Pipe taken = JcstressPipes.tryTake(rung);
            if (!pipe.compareAndSet(null, taken == null ? NONE : taken) && taken != null) {
                JcstressPipes.drainAndGiveBack(rung, taken); // the other actor got the round its pipe first
            }
            current = pipe.get();
        }
        return current == NONE ? null : current;
    }

    /** Each actor, last (also when it failed): the second one drains the pipe and gives it back. */
    void actorDone() {
        if (finished.incrementAndGet() == 2) {
            JcstressPipes.Pipe used = get();
            if (used == null) {
                open = true;
                return;
            }
            open = used.channel().isOpen();
            left = JcstressPipes.drainAndGiveBack(rung, used);
        }
    }

    /** Bytes the pipe held once both actors were done; -1 when the round had none. */
    int left() {
        return left;
    }

    /** Whether the channel was open once both actors were done (so for a round that had none). */
    boolean channelOpen() {
        return open;
    }
}
