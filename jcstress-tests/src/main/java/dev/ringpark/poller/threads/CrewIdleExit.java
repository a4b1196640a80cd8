package dev.ringpark.poller.threads;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A crew's one idle thread gives up waiting (counting itself not idle, then looking at the queue)
 * while the poller queues a task (then looking at the idle count to decide whether to start a
 * thread). At least one side must see the other: otherwise the thread leaves, no thread is started,
 * and the task waits in the queue until some later task starts one, for ever if none comes.
 */
@JCStressTest
@Description("The last idle thread of a crew leaves as a task is queued. Does the task always get a thread?")
@Outcome(id = "true, true", expect = ACCEPTABLE,
        desc = "The thread left on an empty queue; the poller saw no idle thread and starts one.")
@Outcome(id = "false, false", expect = ACCEPTABLE,
        desc = "The thread saw the task and stays to take it; the poller counted on it.")
@Outcome(id = "true, false", expect = ACCEPTABLE,
        desc = "Each saw the other: the thread stays and a second is started (it idles out later).")
@Outcome(id = "false, true", expect = FORBIDDEN,
        desc = "Stranded task: the thread left on a queue it saw empty, and the poller counted on it.")
@State
public class CrewIdleExit {
    private final Crew crew = new Crew("jcstress-crew", 4, 1, task -> { });
    private final PoolTask task = new PoolTask(null, 1);

    public CrewIdleExit() {
        crew.waiting(); // the one thread, waiting
    }

    @Actor
    public void poller(ZZ_Result r) {
        r.r1 = crew.queueAndNeedThread(task);
    }

    @Actor
    public void thread(ZZ_Result r) {
        r.r2 = crew.leaveAfterIdle();
    }
}
