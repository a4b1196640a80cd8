package dev.ringpark;

/*
 * The driver probes are those of poller's ThisMachine: the poller's packages are exported to
 * dev.ringpark only, so the two modules' tests cannot share a test jar (see FailingDriver).
 */

import dev.ringpark.poller.ladder.DriverLadder;
import dev.ringpark.poller.Errno;
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
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.DELETE_ON_CLOSE;
import static java.nio.file.StandardOpenOption.WRITE;

/**
 * What this machine allows that some tests need, and conditions and assumptions that skip a test
 * saying what is missing: a driver the kernel refuses, a program not installed, a capability not
 * held, a file system without O_DIRECT, a kernel without seccomp filters.
 *
 * <p>A driver is probed with the bare system calls, never through the library: a driver that fails
 * to start where the kernel allows it is a bug, and its tests must fail, not skip. Probing makes
 * native calls, which the suite's run without native access cannot; that run forces the thread pool,
 * which needs no probe.
 */
@SuppressWarnings("exports") // public for JUnit's ServiceLoader; compiled into the module, exported to no real client
public final class ThisMachine {
    /** {@code CAP_DAC_OVERRIDE}: opens any file whatever its mode. */
    static final int CAP_DAC_OVERRIDE = 1;
    /** {@code CAP_DAC_READ_SEARCH}: reads any file whatever its mode. */
    static final int CAP_DAC_READ_SEARCH = 2;
    /** {@code CAP_SETPCAP}: may drop capabilities from the bounding set ({@code setpriv --bounding-set}). */
    static final int CAP_SETPCAP = 8;

    private static final String ARCH = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    private static final boolean AARCH64 = ARCH.equals("aarch64");
    /** The same on x86_64 and aarch64 (numbers from 424 on are shared by every architecture). */
    private static final long SYS_IO_URING_SETUP = 425;
    private static final long SYS_IO_SETUP = AARCH64 ? 0 : 206;
    private static final long SYS_IO_DESTROY = AARCH64 ? 1 : 207;
    /** {@code sizeof(struct io_uring_params)}, and where its {@code features} word is. */
    private static final long IO_URING_PARAMS_BYTES = 120;
    private static final long IO_URING_FEATURES_OFFSET = 20;
    /** What the io_uring driver insists on (Linux 5.5). */
    private static final int IORING_FEAT_NODROP = 1 << 1;
    /** The smallest AIO context the AIO driver settles for. */
    private static final int AIO_EVENTS_MIN = 16;
    private static final int BLOCK = 4096;

    private static final Map<DriverLadder.Rung, Optional<Refusal>> REFUSALS = new ConcurrentHashMap<>();

    private ThisMachine() {
    }

    /**
     * Why the kernel refuses a driver.
     *
     * @param kernelSaid what the refused call answered, as the library's report names it too:
     *                   {@code "io_uring_setup failed: EPERM (Operation not permitted)"}
     * @param context    the settings that may explain it
     */
    record Refusal(String kernelSaid, String context) {
        @Override
        public String toString() {
            return kernelSaid + " (" + context + ")";
        }
    }

    // ------------------------------------------------------------------------------------- drivers

    /**
     * The annotated class's tests (or the annotated test) need {@link #value()}: where the kernel
     * refuses it they are skipped, each with the reason.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ExtendWith(NeedsDriverCondition.class)
    public @interface NeedsDriver {
        /** The driver. */
        DriverLadder.Rung value();
    }

    /** What {@link NeedsDriver} runs. */
    public static final class NeedsDriverCondition implements ExecutionCondition {
        /** For JUnit. */
        public NeedsDriverCondition() {
        }

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return AnnotationSupport.findAnnotation(context.getElement(), NeedsDriver.class)
                    .map(needs -> refusal(needs.value())
                            .map(r -> ConditionEvaluationResult.disabled(needs.value().label() + " cannot run here: " + r))
                            .orElseGet(() -> ConditionEvaluationResult.enabled(needs.value().label() + " runs here")))
                    .orElseGet(() -> ConditionEvaluationResult.enabled("needs no driver of its own"));
        }
    }

    /**
     * For every test of this module (registered in {@code META-INF/services}): a run whose
     * {@value Ringpark#DRIVER_PROP_NAME} names a driver the kernel refuses here (the contract suite on
     * {@code aio}, where AIO is not allowed) is skipped, each test saying so, rather than failing all.
     */
    public static final class AskedDriverCondition implements ExecutionCondition {
        /** For JUnit. */
        public AskedDriverCondition() {
        }

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            Optional<DriverLadder.Rung> asked = askedDriver();
            Optional<Refusal> refusal = asked.flatMap(ThisMachine::refusal);
            return refusal.isEmpty() ? ConditionEvaluationResult.enabled("the driver asked for, if any, runs here")
                    : ConditionEvaluationResult.disabled("this run asks for " + Ringpark.DRIVER_PROP_NAME + "="
                            + asked.get().label() + ", which cannot run here: " + refusal.get());
        }
    }

    /** The driver {@value Ringpark#DRIVER_PROP_NAME} asks for, if it names one. */
    static Optional<DriverLadder.Rung> askedDriver() {
        String asked = System.getProperty(Ringpark.DRIVER_PROP_NAME);
        try {
            return asked == null ? Optional.empty() : Optional.of(DriverLadder.Rung.labelled(asked));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // the library's own error to report
        }
    }

    /** Why {@code rung} cannot run here (with the library's ring size), or empty; asked of the kernel once. */
    static Optional<Refusal> refusal(DriverLadder.Rung rung) {
        return REFUSALS.computeIfAbsent(rung, r -> switch (r) {
            case IO_URING -> ioUringRefusal(Ringpark.ringEntries());
            case AIO -> aioRefusal();
            case THREADS -> Optional.empty();
        });
    }

    /** The first driver, top down, that the kernel allows here: what probing must pick. */
    static DriverLadder.Rung firstWorkingDriver() {
        return Stream.of(DriverLadder.Rung.values()).filter(rung -> refusal(rung).isEmpty()).findFirst()
                .orElseThrow(() -> new AssertionError("not even the thread pool?"));
    }

    private static Optional<Refusal> ioUringRefusal(int entries) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = LibC.allocateCallState(arena);
            MemorySegment params = arena.allocate(IO_URING_PARAMS_BYTES, 8);
            long fd = LibC.syscall(callState, SYS_IO_URING_SETUP, entries, params.address(), 0);
            String context = entries + " entries, kernel.io_uring_disabled is " + sysctl("kernel/io_uring_disabled");
            if (fd < 0) {
                return Optional.of(new Refusal("io_uring_setup failed: " + Errno.describe((int) -fd), context));
            }
            LibC.close(callState, (int) fd);
            if ((params.get(JAVA_INT, IO_URING_FEATURES_OFFSET) & IORING_FEAT_NODROP) == 0) {
                return Optional.of(new Refusal("IORING_FEAT_NODROP", "this kernel's io_uring lacks it (Linux 5.5)"));
            }
            return Optional.empty();
        }
    }

    private static Optional<Refusal> aioRefusal() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = LibC.allocateCallState(arena);
            MemorySegment context = arena.allocate(JAVA_LONG);
            long rc = LibC.syscall(callState, SYS_IO_SETUP, AIO_EVENTS_MIN, context.address(), 0);
            if (rc < 0) {
                return Optional.of(new Refusal("io_setup failed: " + Errno.describe((int) -rc), AIO_EVENTS_MIN
                        + " events, fs.aio-max-nr is " + sysctl("fs/aio-max-nr") + ", fs.aio-nr " + sysctl("fs/aio-nr")));
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

    /** Whether this JVM denies native access to the class path ({@code --illegal-native-access=deny}). */
    @SuppressWarnings("restricted") // the probe: a restricted call that touches no memory
    static boolean nativeAccessDenied() {
        try {
            MemorySegment.NULL.reinterpret(0);
            return false;
        } catch (IllegalCallerException e) {
            return true;
        }
    }

    // ------------------------------------------------------------------------------------- the rest

    /** Skips the test unless {@code program} is on the PATH; {@code from} says where it comes from. */
    static void assumeOnPath(String program, String from) {
        boolean found = Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
        Assumptions.assumeTrue(found, () -> program + " (" + from + ") is not on the PATH");
    }

    /** Whether this process holds {@code capability} ({@code CapEff} in {@code /proc/self/status}). */
    static boolean hasCapability(int capability) {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("CapEff:"))
                    .map(line -> new BigInteger(line.substring("CapEff:".length()).trim(), 16))
                    .anyMatch(capabilities -> capabilities.testBit(capability));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Skips the test unless this process may install a seccomp filter of {@link SeccompFilter}'s kind:
     * a kernel with seccomp filters, on an architecture the filter knows.
     */
    static void assumeSeccompFilters() {
        Assumptions.assumeTrue(ARCH.equals("amd64") || ARCH.equals("x86_64") || AARCH64,
                () -> "the seccomp filter knows x86_64 and aarch64, not " + ARCH);
        boolean seccomp;
        try {
            seccomp = Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.startsWith("Seccomp:"));
        } catch (IOException e) {
            seccomp = false;
        }
        Assumptions.assumeTrue(seccomp, "this kernel has no seccomp (no Seccomp: line in /proc/self/status)");
    }

    /**
     * {@code preferred}, if its file system takes O_DIRECT transfers of {@value #BLOCK}-byte blocks and
     * its block size is {@code blockSize} (0: any that divides {@value #BLOCK}); else a new directory
     * under the module's {@code target} if that one does; skips the test when neither does (tmpfs
     * refused O_DIRECT before Linux 6.6).
     */
    static Path directIoDirectory(Path preferred, int blockSize) throws IOException {
        Path fallback = Path.of("target").toAbsolutePath();
        for (Path candidate : List.of(preferred, fallback)) {
            Path directory = candidate == fallback
                    ? Files.createTempDirectory(Files.createDirectories(fallback), "direct-io") : candidate;
            long size = Files.getFileStore(directory).getBlockSize();
            boolean sizeFits = blockSize == 0 ? BLOCK % size == 0 : size == blockSize;
            if (sizeFits && takesDirectIo(directory)) {
                return directory;
            }
        }
        Assumptions.abort("neither " + preferred + " nor " + fallback + " is on a file system that takes O_DIRECT"
                + (blockSize == 0 ? "" : " with " + blockSize + "-byte blocks"));
        return preferred;
    }

    private static boolean takesDirectIo(Path directory) {
        try (Arena arena = Arena.ofConfined();
             FileChannel probe = FileChannel.open(directory.resolve("direct-io-probe"), CREATE_NEW, WRITE,
                     DELETE_ON_CLOSE, DifferentialTest.DIRECT)) {
            ByteBuffer block = arena.allocate(BLOCK, BLOCK).asByteBuffer();
            return probe.write(block, 0) == BLOCK;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
