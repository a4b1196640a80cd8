package dev.ringpark;

import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.FileSystemTraits;
import dev.ringpark.poller.FileType;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The claim of {@link DescriptorReclaim}: a channel closing its descriptor and the reclaim of its
 * unreachable handle each claim the close first, and exactly one may get it. Two closes of one
 * number could close the file that reused it; none would leak it. In {@code dev.ringpark}, whose
 * package-private class it tests.
 */
@JCStressTest
@Description("The channel's close and the reclaim race to claim one descriptor's close. Does exactly one get it?")
@Outcome(id = "true, false", expect = ACCEPTABLE, desc = "The channel claimed the close.")
@Outcome(id = "false, true", expect = ACCEPTABLE, desc = "The reclaim claimed the close.")
@Outcome(expect = FORBIDDEN, desc = "Both would close the descriptor, or neither would.")
@State
public class ReclaimClaim {
    /** A number per state, none a descriptor: reclaims are hashed by their descriptor's number. */
    private static final AtomicInteger NUMBERS = new AtomicInteger();

    private final FileHandle handle = new FileHandle(NUMBERS.decrementAndGet(), FileHandle.IoMode.BUFFERED,
            FileType.REGULAR, FileSystemTraits.UNKNOWN, false);
    /** No poller: the reclaim closes nothing, since both actors claim before the state is dropped. */
    private final DescriptorReclaim reclaim = DescriptorReclaim.register(handle, null);

    @Actor
    public void channel(ZZ_Result r) {
        r.r1 = reclaim.claim();
    }

    @Actor
    public void reclaimer(ZZ_Result r) {
        r.r2 = reclaim.claim();
    }
}
