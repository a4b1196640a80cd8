package dev.ringpark.poller.threads;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A pool worker claims a task (registering the signal that interrupts its waits, then reading the
 * cancel flag) while the poller cancels it (setting the flag, then firing whatever signal is
 * registered). At least one side must see the other: otherwise the worker starts a wait on an idle
 * pipe unaware of the cancel, nothing wakes it, and the caller and the closing thread hang.
 */
@JCStressTest
@Description("A worker claims a task while the poller cancels it. Does the cancel always reach the worker?")
@Outcome(id = "true, false", expect = ACCEPTABLE,
        desc = "The worker saw the cancel when it claimed the task, and does not start it.")
@Outcome(id = "false, true", expect = ACCEPTABLE,
        desc = "The canceller found the worker's signal and fired it: the worker's wait ends.")
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "Each saw the other: the task is skipped; the signal is spare.")
@Outcome(id = "false, false", expect = FORBIDDEN,
        desc = "Lost cancel: the worker starts unaware of it and no signal fires; a wait on a pipe never ends.")
@State
public class PoolTaskCancel {
    private final PoolTask task = new PoolTask(null, 1);
    private volatile boolean fired;

    @Actor
    public void worker(ZZ_Result r) {
        r.r1 = task.claim(() -> fired = true);
    }

    @Actor
    public void poller() {
        task.requestCancel();
    }

    @Arbiter
    public void outcome(ZZ_Result r) {
        r.r2 = fired;
    }
}
