package dev.ringpark;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringpark.poller.ladder.DriverLadder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fallback ladder, proven in child JVMs that a seccomp filter restricts the way container
 * runtimes do (see {@link DriverFallbackProbe}), not only through {@value Ringpark#DRIVER_PROP_NAME}:
 * each child must pick the next driver down, say why it skipped the others, and do a buffered and an
 * O_DIRECT round trip on it. Needs seccomp filters; the cases that expect AIO below io_uring need AIO
 * to work here.
 */
class DriverFallbackTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    /**
     * Where io_uring works unfiltered, the EPERM can only be the filter's, and the reason says seccomp;
     * where {@code kernel.io_uring_disabled} refuses it too, the reason names that setting instead.
     */
    @Test
    @ThisMachine.NeedsDriver(DriverLadder.Rung.AIO)
    void whenIoUringIsRefusedWithEpermLikeDockerDoesLinuxAioRuns() throws Exception {
        ChildJvm.Result child = probe(List.of(), "io_uring_setup", "eperm");
        String cause = ThisMachine.refusal(DriverLadder.Rung.IO_URING).isEmpty() ? "seccomp" : "kernel.io_uring_disabled";
        assertAll(child.toString(),
                () -> assertTrue(child.stdout().contains("DRIVER aio\n")),
                () -> assertTrue(child.stdout().contains("SKIPPED io_uring: io_uring_setup failed: EPERM")),
                () -> assertTrue(child.stdout().contains(cause), "the reason names " + cause),
                () -> assertTrue(child.stdout().contains("ROUNDTRIP_OK")));
    }

    @Test
    void whenIoUringAndAioAreRefusedTheThreadPoolRuns() throws Exception {
        ChildJvm.Result child = probe(List.of(), "io_uring_setup,io_setup", "eperm");
        assertAll(child.toString(),
                () -> assertTrue(child.stdout().contains("DRIVER threads\n")),
                () -> assertTrue(child.stdout().contains("SKIPPED io_uring: io_uring_setup failed: EPERM")),
                () -> assertTrue(child.stdout().contains("SKIPPED aio: io_setup failed: EPERM")),
                () -> assertTrue(child.stdout().contains("ROUNDTRIP_OK")));
    }

    /** A sandbox that kills on io_uring_setup or io_setup: forcing the thread pool must not touch either. */
    @Test
    void aForcedDriverProbesNothingElse() throws Exception {
        ChildJvm.Result child = probe(List.of("-D" + Ringpark.DRIVER_PROP_NAME + "=threads"),
                "io_uring_setup,io_setup", "kill_process");
        assertAll(child.toString(),
                () -> assertEquals(0, child.exitCode()),
                () -> assertTrue(child.stdout().contains("DRIVER threads\n")),
                () -> assertTrue(!child.stdout().contains("SKIPPED")),
                () -> assertTrue(child.stdout().contains("ROUNDTRIP_OK")));
    }

    /** Every AIO event of fs.aio-max-nr is taken: the AIO rung names the limit and the pool runs. */
    @Test
    @ThisMachine.NeedsDriver(DriverLadder.Rung.AIO)
    void whenFsAioMaxNrIsUsedUpTheReasonNamesIt() throws Exception {
        ChildJvm.Result child = probe(List.of(), "io_uring_setup", "eperm", "exhaust-aio");
        assertAll(child.toString(),
                () -> assertTrue(child.stdout().contains("DRIVER threads\n")),
                () -> assertTrue(child.stdout().contains("SKIPPED aio: io_setup failed: EAGAIN")),
                () -> assertTrue(child.stdout().contains("fs.aio-max-nr is ")),
                () -> assertTrue(child.stdout().contains("ROUNDTRIP_OK")));
    }

    /** Runs a {@link DriverFallbackProbe} with {@code args}, its files where O_DIRECT works. */
    private ChildJvm.Result probe(List<String> jvmOptions, String... args) throws Exception {
        ThisMachine.assumeSeccompFilters();
        String[] all = new String[args.length + 1];
        all[0] = ThisMachine.directIoDirectory(tmp, 0).toString();
        System.arraycopy(args, 0, all, 1, args.length);
        ChildJvm.Result child = ChildJvm.run(ChildJvm.command(List.of(), jvmOptions, tmp, DriverFallbackProbe.class, all),
                tmp, CHILD_TIMEOUT);
        ChildJvm.assertNoCrash(child, tmp);
        System.out.println("DriverFallbackTest: child " + String.join(" ", args) + ":\n" + child.stdout());
        return child;
    }
}
