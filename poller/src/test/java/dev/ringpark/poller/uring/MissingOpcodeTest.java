package dev.ringpark.poller.uring;

import dev.ringpark.poller.AwaitReady;
import dev.ringpark.poller.ThisMachine;
import dev.ringpark.poller.ladder.DriverLadder;
import dev.ringpark.poller.CallerCalls;
import dev.ringpark.poller.Errno;
import dev.ringpark.poller.FileHandle;
import dev.ringpark.poller.FileSystemTraits;
import dev.ringpark.poller.FileType;
import dev.ringpark.poller.OpenMode;
import dev.ringpark.poller.Operation;
import dev.ringpark.poller.Poller;
import dev.ringpark.poller.Splice;
import dev.ringpark.poller.Transfer;
import dev.ringpark.poller.Truncate;
import dev.ringpark.poller.linux.LibC;
import dev.ringpark.poller.linux.OpenFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operation whose opcode the kernel lacks runs on the pool instead of failing with
 * {@code EINVAL}, and the driver's description names it; the probe of this kernel finds every opcode
 * the driver uses.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MissingOpcodeTest {
    @TempDir
    Path directory;

    @Test
    @ThisMachine.NeedsDriver(DriverLadder.Rung.IO_URING)
    void aTruncateTheKernelCannotDoRunsOnThePool() throws Exception {
        Poller poller = Poller.start("missing-opcode-poller",
                () -> new UringDriver(8, 0, 1, RingOpcodes.allBut(SubmissionQueueEntry.IORING_OP_FTRUNCATE)));
        assertTrue(poller.driverSetup().contains("as the kernel lacks them: FTRUNCATE"), poller.driverSetup());
        Path file = Files.write(directory.resolve("file"), new byte[8192]);
        OpenMode readWrite = new OpenMode(OpenMode.Access.READ_WRITE, OpenMode.Creation.EXISTING, false, false, false,
                false, false, true, 0);
        try (Arena arena = Arena.ofConfined()) {
            int fd = CallerCalls.openCached(arena.allocateFrom(file.toString()), readWrite);
            assertTrue(fd >= 0, "open: " + fd);
            FileHandle handle = new FileHandle(fd, FileHandle.IoMode.BUFFERED, FileType.REGULAR,
                    FileSystemTraits.UNKNOWN, true);
            assertEquals(0, poller.execute(new Truncate(handle, 100)));
            assertEquals(100, Files.size(file));
            CallerCalls.closeAnyway(fd);
        }
    }

    /** Without LINK_TIMEOUT (before Linux 5.5) the caller cancels at its deadline, through ASYNC_CANCEL. */
    @Test
    @ThisMachine.NeedsDriver(DriverLadder.Rung.IO_URING)
    void withoutLinkedTimeoutsTheCallerCancelsAtItsDeadline() throws Exception {
        Poller poller = Poller.start("no-link-timeout-poller",
                () -> new UringDriver(8, 0, 1, RingOpcodes.allBut(SubmissionQueueEntry.IORING_OP_LINK_TIMEOUT)));
        assertTrue(poller.driverSetup().contains("LINK_TIMEOUT"), poller.driverSetup());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = LibC.allocateCallState(arena);
            int fd = LibC.eventfd(callState, 0, LibC.EFD_CLOEXEC);
            FileHandle idle = new FileHandle(fd, FileHandle.IoMode.STREAM, FileType.UNKNOWN, FileSystemTraits.UNKNOWN,
                    true);
            MemorySegment buffer = arena.allocate(8);
            long start = System.nanoTime();
            Operation read = new Transfer(idle, Transfer.Direction.READ, buffer.address(), 8, -1)
                    .setDeadlineNanos(start + TimeUnit.MILLISECONDS.toNanos(50));
            assertEquals(-Errno.ECANCELED, poller.execute(read));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMillis >= 49 && tookMillis < 1_000, "took " + tookMillis + " ms");
            LibC.close(callState, fd);
        }
    }

    /**
     * A kernel without {@code IORING_OP_SPLICE} and {@code IORING_OP_POLL_ADD} (splice before 5.7):
     * both run on the pool, the splice without waiting and without setting {@code O_NONBLOCK} on the
     * pipe (the ring's reads of it would answer {@code EAGAIN}), the wait cancelled by an interrupt.
     */
    @Test
    @ThisMachine.NeedsDriver(DriverLadder.Rung.IO_URING)
    void spliceAndItsWaitTheKernelCannotDoRunOnThePool() throws Exception {
        Poller poller = Poller.start("missing-splice-poller", () -> new UringDriver(8, 0, 1,
                RingOpcodes.allBut(SubmissionQueueEntry.IORING_OP_SPLICE, SubmissionQueueEntry.IORING_OP_POLL_ADD)));
        assertTrue(poller.driverSetup().contains("as the kernel lacks them: POLL_ADD SPLICE"), poller.driverSetup());
        Path file = Files.write(directory.resolve("target"), new byte[0]);
        OpenMode readWrite = new OpenMode(OpenMode.Access.READ_WRITE, OpenMode.Creation.EXISTING, false, false, false,
                false, false, true, 0);
        try (Arena arena = Arena.ofConfined()) {
            int fd = CallerCalls.openCached(arena.allocateFrom(file.toString()), readWrite);
            FileHandle target = new FileHandle(fd, FileHandle.IoMode.BUFFERED, FileType.REGULAR,
                    FileSystemTraits.UNKNOWN, true);
            int[] pipe = dev.ringpark.poller.Pipes.open();
            FileHandle reader = new FileHandle(pipe[0], FileHandle.IoMode.STREAM, FileType.FIFO,
                    FileSystemTraits.UNKNOWN, false);
            assertEquals(-Errno.EAGAIN, poller.execute(new Splice(reader, Splice.STREAM, target, 0, 4096)));
            int[] result = new int[1];
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    result[0] = poller.execute(new AwaitReady(reader, AwaitReady.Event.READABLE, target));
                } catch (java.io.IOException e) {
                    result[0] = Integer.MIN_VALUE;
                }
            });
            while (caller.getState() != Thread.State.WAITING) {
                Thread.sleep(1);
            }
            caller.interrupt();
            caller.join();
            assertEquals(-Errno.ECANCELED, result[0]);
            assertEquals(0, LibC.fcntl(LibC.allocateCallState(arena), pipe[0], LibC.F_GETFL, 0) & OpenFlags.O_NONBLOCK,
                    "the pipe stays blocking");
            dev.ringpark.poller.Pipes.close(pipe);
            CallerCalls.closeAnyway(fd);
        }
    }

    @Test
    @ThisMachine.NeedsDriver(DriverLadder.Rung.IO_URING)
    void thisKernelHasEveryOpcodeTheDriverUses() throws Exception {
        try (IoUring ring = IoUring.create(8, 8)) {
            boolean[] supported = ring.probeOpcodes();
            org.junit.jupiter.api.Assumptions.assumeTrue(supported != null, "the kernel has no IORING_REGISTER_PROBE");
            assertEquals(java.util.List.of(), RingOpcodes.probe(ring).lacking(),
                    "opcodes this kernel lacks (FTRUNCATE needs 6.9)");
        }
    }

    @Test
    void theSubmissionRingMappingCoversItsFlagsWithoutAnIndexArray() {
        try (Arena arena = Arena.ofConfined()) {
            var params = arena.allocate(IoUringParams.BYTES, 8);
            // sq_off as 6.18 lays it out under NO_SQARRAY: head 0, tail 64, mask 256, entries 264,
            // flags 276, dropped 272, array 0.
            int[] sqOff = {0, 64, 256, 264, 276, 272, 0};
            for (int i = 0; i < sqOff.length; i++) {
                params.set(java.lang.foreign.ValueLayout.JAVA_INT, 40 + 4L * i, sqOff[i]);
            }
            params.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 8); // sq_entries
            assertEquals(280, IoUringParams.sqRingBytes(params, false), "up to the end of sq_flags");
            assertTrue(IoUringParams.sqRingBytes(params, true) >= 280);
        }
    }
}
