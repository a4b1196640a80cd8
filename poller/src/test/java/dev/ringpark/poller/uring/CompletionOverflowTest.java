package dev.ringpark.poller.uring;

import dev.ringpark.poller.ladder.DriverLadder;
import dev.ringpark.poller.ThisMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The completion queue's overflow path. The poller never lets it overflow (it bounds what is in
 * flight), so this drives a ring directly: twice as many NOPs as the completion queue holds,
 * submitted without reaping in between, must all come back, each once, in order.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ThisMachine.NeedsDriver(DriverLadder.Rung.IO_URING)
class CompletionOverflowTest {
    private static final int ENTRIES = 8;

    @Test
    void completionsBeyondTheQueueAreHeldByTheKernelAndAllReaped() throws Exception {
        try (IoUring ring = IoUring.create(ENTRIES, ENTRIES)) {
            for (int batch = 0; batch < 2; batch++) {
                SubmissionQueue queue = ring.submissionQueue();
                for (int i = 0; i < ENTRIES; i++) {
                    long entry = queue.claim();
                    SubmissionQueueEntry.prepare(queue.entries(), entry, SubmissionQueueEntry.IORING_OP_NOP, (byte) 0,
                            -1, 0, 0, 0, 0, batch * ENTRIES + i + 1L);
                }
                assertEquals(0, ring.submit(false), "submit");
            }
            assertTrue(ring.submissionQueue().completionsOverflowed(),
                    "16 completions cannot fit a queue of 8: the kernel holds the rest and says so");
            List<Long> reaped = new ArrayList<>();
            int count = ring.reap((userData, result) -> {
                assertEquals(0, result, "a NOP succeeds");
                reaped.add(userData);
            });
            List<Long> expected = new ArrayList<>();
            for (long userData = 1; userData <= 2 * ENTRIES; userData++) {
                expected.add(userData);
            }
            assertEquals(2 * ENTRIES, count);
            assertEquals(expected, reaped, "every completion once, in submission order");
            assertTrue(!ring.submissionQueue().completionsOverflowed(), "overflow list flushed");
        }
    }
}
