package dev.ringpark.poller;

/*
 * lib's tests have a larger ThisMachine with the same probes: the poller's packages are exported to
 * dev.ringpark only, so the two modules' tests cannot share a test jar (see FailingDriver).
 */

import dev.ringpark.poller.ladder.DriverLadder;
import dev.ringpark.poller.linux.LibC;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.DELETE_ON_CLOSE;
import static java.nio.file.StandardOpenOption.WRITE;

/**
 * What this machine allows that some tests need, and conditions and assumptions that skip a test
 * saying what is missing. A driver is probed with the bare system calls, not with the driver under test: a driver
 * that fails to start where the kernel allows it is a bug, and its tests must fail, not skip.
 */
public final class ThisMachine {
    private static final boolean AARCH64 = System.getProperty("os.arch").toLowerCase(Locale.ROOT).equals("aarch64");
    /** The same on x86_64 and aarch64 (numbers from 424 on are shared by every architecture). */
    private static final long SYS_IO_URING_SETUP = 425;
    private static final long SYS_IO_SETUP = AARCH64 ? 0 : 206;
    private static final long SYS_IO_DESTROY = AARCH64 ? 1 : 207;
    /** {@code sizeof(struct io_uring_params)}, and where its {@code features} word is. */
    private static final long IO_URING_PARAMS_BYTES = 120;
    private static final long IO_URING_FEATURES_OFFSET = 20;
    /** What every driver's ring needs (Linux 5.5), as {@code IoUring.create} insists. */
    private static final int IORING_FEAT_NODROP = 1 << 1;
    /** The smallest AIO context the AIO driver settles for. */
    private static final int AIO_EVENTS_MIN = 16;
    private static final int BLOCK = 4096;

    private static final Map<String, Optional<String>> REFUSALS = new ConcurrentHashMap<>();

    private ThisMachine() {
    }

    /**
     * The annotated class's tests (or the annotated test) need {@link #value()} with {@link #entries()} ring entries: where the
     * kernel refuses it, they are skipped, each with the reason (an abort in {@code @BeforeAll} would
     * skip them without one in surefire's report).
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ExtendWith(DriverCondition.class)
    public @interface NeedsDriver {
        /** The driver. */
        DriverLadder.Rung value();

        /** The ring entries (and most operations in flight) the tests give it. */
        int entries() default 8;
    }

    /** What {@link NeedsDriver} runs: disables the class where the kernel refuses the driver. */
    public static final class DriverCondition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            Optional<NeedsDriver> needs = AnnotationSupport.findAnnotation(context.getElement(), NeedsDriver.class);
            if (needs.isEmpty()) {
                return ConditionEvaluationResult.enabled("needs no driver of its own");
            }
            DriverLadder.Rung rung = needs.get().value();
            return refusal(rung, needs.get().entries())
                    .map(reason -> ConditionEvaluationResult.disabled(rung.label() + " cannot run here: " + reason))
                    .orElseGet(() -> ConditionEvaluationResult.enabled(rung.label() + " runs here"));
        }
    }

    /** Why {@code rung} cannot run here, or empty; asked of the kernel once per rung and ring size. */
    public static Optional<String> refusal(DriverLadder.Rung rung, int entries) {
        return REFUSALS.computeIfAbsent(rung.label() + "/" + entries, key -> switch (rung) {
            case IO_URING -> ioUringRefusal(entries);
            case AIO -> aioRefusal();
            case THREADS -> Optional.empty();
        });
    }

    private static Optional<String> ioUringRefusal(int entries) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = LibC.allocateCallState(arena);
            MemorySegment params = arena.allocate(IO_URING_PARAMS_BYTES, 8);
            long fd = LibC.syscall(callState, SYS_IO_URING_SETUP, entries, params.address(), 0);
            if (fd < 0) {
                return Optional.of("io_uring_setup failed: " + Errno.describe((int) -fd)
                        + " (kernel.io_uring_disabled is " + sysctl("kernel/io_uring_disabled") + ")");
            }
            LibC.close(callState, (int) fd);
            if ((params.get(JAVA_INT, IO_URING_FEATURES_OFFSET) & IORING_FEAT_NODROP) == 0) {
                return Optional.of("this kernel's io_uring lacks IORING_FEAT_NODROP (Linux 5.5)");
            }
            return Optional.empty();
        }
    }

    private static Optional<String> aioRefusal() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = LibC.allocateCallState(arena);
            MemorySegment context = arena.allocate(JAVA_LONG);
            long rc = LibC.syscall(callState, SYS_IO_SETUP, AIO_EVENTS_MIN, context.address(), 0);
            if (rc < 0) {
                return Optional.of("io_setup of " + AIO_EVENTS_MIN + " events failed: " + Errno.describe((int) -rc)
                        + " (fs.aio-max-nr is " + sysctl("fs/aio-max-nr") + ", fs.aio-nr " + sysctl("fs/aio-nr") + ")");
            }
            LibC.syscall(callState, SYS_IO_DESTROY, context.get(JAVA_LONG, 0), 0, 0);
            return Optional.empty();
        }
    }

    private static String sysctl(String path) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/sys", path));
            return lines.isEmpty() ? "unknown" : lines.getFirst().trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * {@code preferred} if its file system takes O_DIRECT transfers of 4096-byte blocks, else a new
     * directory under the module's {@code target} if that one does; skips the test when neither does
     * (tmpfs, for one, refuses O_DIRECT).
     */
    public static Path directIoDirectory(Path preferred) throws IOException {
        Path fallback = Path.of("target").toAbsolutePath();
        for (Path candidate : List.of(preferred, fallback)) {
            Path directory = candidate == fallback
                    ? Files.createTempDirectory(Files.createDirectories(fallback), "direct-io") : candidate;
            if (takesDirectIo(directory)) {
                return directory;
            }
        }
        Assumptions.abort("neither " + preferred + " nor " + fallback + " is on a file system that takes O_DIRECT");
        return preferred;
    }

    private static boolean takesDirectIo(Path directory) {
        try (Arena arena = Arena.ofConfined();
             FileChannel probe = FileChannel.open(directory.resolve("direct-io-probe"), CREATE_NEW, WRITE,
                     DELETE_ON_CLOSE, directOption())) {
            ByteBuffer block = arena.allocate(BLOCK, BLOCK).asByteBuffer();
            return probe.write(block, 0) == BLOCK;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** {@code ExtendedOpenOption.DIRECT}, by name: javac warns of any mention of it, and the build fails on warnings. */
    private static OpenOption directOption() {
        try {
            return (OpenOption) Class.forName("com.sun.nio.file.ExtendedOpenOption").getField("DIRECT").get(null);
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("no ExtendedOpenOption.DIRECT", e);
        }
    }
}
