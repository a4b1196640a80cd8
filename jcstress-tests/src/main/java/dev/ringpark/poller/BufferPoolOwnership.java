package dev.ringpark.poller;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.ZZZ_Result;

import java.lang.foreign.MemorySegment;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The ownership contract of {@link NativeBufferPool}: a buffer from {@code acquire} belongs to its
 * caller alone until it is given back; a retired buffer (the kernel may still write into it) is never
 * handed out again.
 *
 * <p>Each test has one pool for the whole run, as the library has one shared pool: a pool per round
 * would allocate native memory that nothing frees. Buffers are of the smallest size, so that the
 * rounds contend on one size class.
 */
public final class BufferPoolOwnership {
    private BufferPoolOwnership() {
    }

    @JCStressTest
    @Description("Two holders acquire a buffer each, hold it, and release it. Is a buffer ever handed to "
            + "both at once?")
    @Outcome(id = "true, true, false", expect = ACCEPTABLE, desc = "Each holder had a buffer of its own.")
    @Outcome(id = "true, true, true", expect = ACCEPTABLE,
            desc = "One holder released its buffer before the other acquired, and the pool handed the same "
                    + "buffer out again.")
    @Outcome(id = "false, .*", expect = FORBIDDEN,
            desc = "The first holder was handed a buffer that another holder still held.")
    @Outcome(id = ".*, false, .*", expect = FORBIDDEN,
            desc = "The second holder was handed a buffer that another holder still held.")
    @Outcome(expect = FORBIDDEN, desc = "jcstress cannot report anything else for this test.")
    @State
    public static class OneHolderAtATime {
        private static final NativeBufferPool POOL = new NativeBufferPool();
        /** Addresses of the buffers held right now, by any holder in any round. */
        private static final Set<Long> HELD = ConcurrentHashMap.newKeySet();

        private long first;
        private long second;

        @Actor
        public void firstHolder(ZZZ_Result r) {
            first = holdAndRelease();
            r.r1 = first != 0;
        }

        @Actor
        public void secondHolder(ZZZ_Result r) {
            second = holdAndRelease();
            r.r2 = second != 0;
        }

        @Arbiter
        public void compare(ZZZ_Result r) {
            r.r3 = first == second;
        }

        /** The address of the buffer held, or 0 when another holder held it at the same time. */
        private static long holdAndRelease() {
            MemorySegment buffer = POOL.acquire(NativeBufferPool.MIN_BUFFER_BYTES);
            long address = buffer.address();
            boolean alone = HELD.add(address);
            buffer.set(JAVA_LONG, 0, address); // touch it, as a holder would
            if (alone) {
                HELD.remove(address); // before release: whoever the pool hands it to next finds it free
            }
            POOL.release(buffer);
            return alone ? address : 0;
        }
    }

    @JCStressTest
    @Description("One holder retires its buffer while another acquires and releases. Is a retired buffer "
            + "ever handed out again, to either of them or in any later round?")
    @Outcome(id = "1, 1", expect = ACCEPTABLE,
            desc = "Both holders were handed buffers never retired before; the first retired its own.")
    @Outcome(id = "2, 1", expect = ACCEPTABLE,
            desc = "Both holders were handed buffers never retired before; the first released its own instead, "
                    + "this JVM having retired its budget of buffers (retired memory is never freed).")
    @Outcome(id = "0, .*", expect = FORBIDDEN,
            desc = "The first holder was handed a buffer retired before: the kernel may write into it.")
    @Outcome(id = ".*, 0", expect = FORBIDDEN,
            desc = "The second holder was handed a buffer retired before: the kernel may write into it.")
    @Outcome(expect = FORBIDDEN, desc = "jcstress cannot report anything else for this test.")
    @State
    public static class RetiredNeverReturns {
        /** What the first holder did with a buffer that had never been retired. */
        static final int RETIRED_IT = 1;
        static final int RELEASED_IT = 2;
        /** What either holder reports when it was handed a buffer retired before. */
        static final int HANDED_A_RETIRED_BUFFER = 0;
        static final int HANDED_A_FRESH_BUFFER = 1;
        /**
         * Retirements per JVM. Retired memory is never freed, by design, so a run of millions of rounds
         * would leak that many buffers; past the budget, every acquired buffer is still checked
         * against all those retired so far.
         */
        static final int RETIREMENT_BUDGET = 100_000;

        private static final NativeBufferPool POOL = new NativeBufferPool();
        /**
         * Addresses of every buffer retired in this JVM. Retired memory is never freed, so no later
         * allocation can legitimately return one of these addresses.
         */
        private static final Set<Long> RETIRED = ConcurrentHashMap.newKeySet();
        private static final AtomicInteger RETIREMENTS = new AtomicInteger();

        @Actor
        public void retiringHolder(II_Result r) {
            MemorySegment buffer = POOL.acquire(NativeBufferPool.MIN_BUFFER_BYTES);
            if (RETIRED.contains(buffer.address())) {
                r.r1 = HANDED_A_RETIRED_BUFFER;
                POOL.retire(buffer); // retired it is: keep it out of the pool, whatever the pool thinks
            } else if (RETIREMENTS.get() < RETIREMENT_BUDGET && RETIREMENTS.getAndIncrement() < RETIREMENT_BUDGET) {
                r.r1 = RETIRED_IT;
                RETIRED.add(buffer.address()); // before retire(): a pool that reused it would hand it out after
                POOL.retire(buffer);
            } else {
                r.r1 = RELEASED_IT;
                POOL.release(buffer);
            }
        }

        @Actor
        public void releasingHolder(II_Result r) {
            MemorySegment buffer = POOL.acquire(NativeBufferPool.MIN_BUFFER_BYTES);
            r.r2 = RETIRED.contains(buffer.address()) ? HANDED_A_RETIRED_BUFFER : HANDED_A_FRESH_BUFFER;
            POOL.release(buffer);
        }
    }
}
