package dev.ringpark;

import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.ringpark.SideBySide.Setup;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An interrupt that lands while {@code transferTo} or {@code transferFrom} is under way. The JDK's
 * rules, from {@code FileChannelImpl} (JDK 25): a transfer the interrupt ends before it moved a byte
 * closes both channels and throws {@link ClosedByInterruptException} ({@code transferFailed}); a
 * copy loop that had moved bytes returns their count, the channel whose call saw the interrupt
 * closed and the interrupt status set ({@code transferFromArbitraryChannel} catches the exception
 * once {@code tw > 0}). Side by side with the JDK, the other end a JDK pipe whose read parks and sees
 * the interrupt; {@code KernelTransferTest} holds a transfer's own operation in the driver instead.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TransferInterruptTest {
    static final int SIZE = 10_000;
    static final Setup DATA_FILE = dir -> Files.write(dir.resolve("data"), Bytes.pattern(40, SIZE));

    @TempDir
    Path tmp;

    /**
     * Starts a thread that interrupts {@code thread} once it is parked and it, or a platform thread
     * working for it (the pool of a channel without native access), waits in a method whose class and
     * name contain {@code frame}: a wait the test chose, not one on the way to it.
     */
    static Thread interruptWhenParkedIn(Thread thread, String frame) {
        return Thread.ofPlatform().start(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!(VirtualThreads.isParked(thread) && (isIn(thread.getStackTrace(), frame)
                    || Thread.getAllStackTraces().values().stream().anyMatch(frames -> isIn(frames, frame))))) {
                if (System.nanoTime() > deadline || !thread.isAlive()) {
                    throw new AssertionError(thread + " never parked in " + frame);
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
            thread.interrupt();
        });
    }

    private static boolean isIn(StackTraceElement[] frames, String frame) {
        return Arrays.stream(frames).anyMatch(f -> (f.getClassName() + "." + f.getMethodName()).contains(frame));
    }

    // ---------------------------------------------------------------------------------------------
    // Side by side with the JDK: the other end is a JDK pipe, whose read parks and sees the interrupt

    @Test
    void anInterruptAfterSomeBytesMovedReturnsTheirCountAndClosesOnlyTheChannelThatSawIt() throws Exception {
        SideBySide.compare(tmp, DATA_FILE, s -> {
            FileChannel ch = s.open("data", READ, WRITE);
            Pipe pipe = Pipe.open();
            try {
                pipe.sink().write(ByteBuffer.wrap(Bytes.pattern(41, 7000)));
                Thread interrupter = interruptWhenParkedIn(Thread.currentThread(), "SourceChannelImpl.read");
                s.attempt("transferFrom", () -> ch.transferFrom(pipe.source(), 100, 50_000));
                s.log("interrupted", Thread.interrupted()); // before the join, which an interrupt would end
                interrupter.join();
                s.log("pipe open", pipe.source().isOpen());
                s.log("channel open", ch.isOpen());
            } finally {
                pipe.sink().close();
                pipe.source().close();
            }
        });
    }

    @Test
    void anInterruptBeforeAnyByteMovedClosesBothChannels() throws Exception {
        SideBySide.compare(tmp, DATA_FILE, s -> {
            FileChannel ch = s.open("data", READ, WRITE);
            Pipe pipe = Pipe.open();
            try {
                Thread interrupter = interruptWhenParkedIn(Thread.currentThread(), "SourceChannelImpl.read");
                s.attempt("transferFrom", () -> ch.transferFrom(pipe.source(), 100, 50_000));
                s.log("interrupted", Thread.interrupted()); // before the join, which an interrupt would end
                interrupter.join();
                s.log("pipe open", pipe.source().isOpen());
                s.log("channel open", ch.isOpen());
            } finally {
                pipe.sink().close();
                pipe.source().close();
            }
        });
    }
}
