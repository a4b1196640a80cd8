package dev.ringpark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ringpark.poller.ladder.DriverLadder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Process limits and JVM exit, each in a child JVM:
 * <ul>
 *   <li>{@code RLIMIT_MEMLOCK} of 0 ({@code prlimit --memlock=0:0}), with and without
 *       {@code CAP_IPC_LOCK} (dropped from the bounding set with {@code setpriv}; this test runs as
 *       root, and root's capability exempts it): opening and reading a file must work or fail with an
 *       IOException that says why, never crash. (Linux 6.18 charges the ring's memory to the memlock
 *       limit again: without the capability, io_uring_setup answers ENOMEM; see docs/RELIABILITY.md.)</li>
 *   <li>System.exit, and main returning, while virtual threads are parked in reads and writes that
 *       the kernel holds: the JVM must exit promptly with 0, its shutdown hooks still able to use
 *       Ringpark.</li>
 * </ul>
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ResourceLimitTest {
    private static final int CAP_IPC_LOCK = 14;

    @TempDir
    Path tmp;

    static Stream<Arguments> memlockCases() {
        return Stream.of(Arguments.of(1024, true), Arguments.of(32768, true), Arguments.of(1024, false));
    }

    @ParameterizedTest(name = "memlock 0, ring entries {0}, CAP_IPC_LOCK dropped: {1}")
    @MethodSource("memlockCases")
    void aZeroMemlockLimitWorksOrFailsClearly(int ringEntries, boolean dropIpcLock) throws Exception {
        ThisMachine.assumeOnPath("prlimit", "util-linux");
        List<String> prefix = new ArrayList<>(List.of("prlimit", "--memlock=0:0"));
        if (dropIpcLock) {
            ThisMachine.assumeOnPath("setpriv", "util-linux");
            assumeTrue(ThisMachine.hasCapability(ThisMachine.CAP_SETPCAP),
                    "dropping CAP_IPC_LOCK from the bounding set takes CAP_SETPCAP, which this process lacks (not root)");
            prefix.addAll(List.of("setpriv", "--bounding-set=-ipc_lock"));
        }
        ChildJvm.Result result = ChildJvm.run(ChildJvm.command(prefix, List.of("-Dringpark.ring.entries=" + ringEntries),
                tmp, MemlockProbe.class, tmp.toString()), tmp, Duration.ofSeconds(60));
        System.out.println(result);
        ChildJvm.assertNoCrash(result, tmp);
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.stdout().contains("limit: Max locked memory 0 0 bytes"), "the limit did not apply: " + result);
        boolean ipcLock = capabilities(result).testBit(CAP_IPC_LOCK);
        if (dropIpcLock) {
            assertFalse(ipcLock, "CAP_IPC_LOCK still effective: " + result);
        }
        String outcome = result.stdout().lines().filter(l -> l.startsWith("READ_OK") || l.startsWith("FAILED"))
                .findFirst().orElseThrow(() -> new AssertionError("no outcome: " + result));
        if (ipcLock) {
            // The capability exempts the process from the limit.
            assertTrue(outcome.startsWith("READ_OK"), "refused although CAP_IPC_LOCK exempts it: " + outcome);
        } else if (outcome.startsWith("FAILED")) {
            // A refusal must say why: the errno and the limit, not a bare IOException.
            assertTrue(outcome.contains("ENOMEM") && outcome.contains("memlock"), "an unclear refusal: " + outcome);
        }
        System.out.println("memlock 0, ring entries " + ringEntries + ", CAP_IPC_LOCK " + ipcLock + ": " + outcome);
    }

    /** Every way to end, on every driver. */
    static Stream<Arguments> endings() {
        return Stream.of("exit", "return").flatMap(how -> Stream.of(DriverLadder.Rung.values())
                .map(rung -> Arguments.of(how, rung)));
    }

    /**
     * A JVM with 210 transfers parked on FIFOs ends promptly, its shutdown hook still writing a file
     * through Ringpark. On the pool drivers the parked transfers once held every pool thread and the
     * hook's write waited behind them for ever (pipe transfers now have a crew of their own).
     */
    @ParameterizedTest(name = "JVM ends by {0} with operations in flight, on {1}")
    @MethodSource("endings")
    void theJvmEndsPromptlyWithOperationsInFlight(String how, DriverLadder.Rung rung) throws Exception {
        Optional<ThisMachine.Refusal> refused = ThisMachine.refusal(rung);
        assumeTrue(refused.isEmpty(), () -> rung.label() + " cannot run here: " + refused.orElseThrow());
        List<Path> fifos = Fifos.make(List.of(tmp.resolve("read-fifo"), tmp.resolve("write-fifo")));
        ChildJvm.Result result = ChildJvm.run(ChildJvm.command(List.of(),
                List.of("-D" + Ringpark.DRIVER_PROP_NAME + "=" + rung.label()), tmp, ExitWhileParked.class,
                fifos.get(0).toString(), fifos.get(1).toString(), tmp.toString(), how), tmp, Duration.ofSeconds(60));
        System.out.println(result);
        ChildJvm.assertNoCrash(result, tmp);
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.stdout().contains("PARKED " + (ExitWhileParked.READERS + ExitWhileParked.WRITERS)),
                result.toString());
        assertFalse(result.stdout().contains("UNEXPECTED"), result.toString());
        assertTrue(result.stdout().contains("HOOK wrote 4096"), "the shutdown hook could not use Ringpark: " + result);
        assertEquals(4096, Files.size(tmp.resolve("from-hook")));
        assertTrue(result.elapsed().toMillis() < 20_000, "the child took " + result.elapsed());
    }

    private static java.math.BigInteger capabilities(ChildJvm.Result result) {
        String line = result.stdout().lines().filter(l -> l.startsWith("caps: CapEff:")).findFirst()
                .orElseThrow(() -> new AssertionError("no capabilities printed: " + result));
        return new java.math.BigInteger(line.substring("caps: CapEff:".length()).trim(), 16);
    }
}
