package dev.ringpark;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link ProviderScenarios} in three child JVMs: on the JDK's own default provider, with
 * {@link RingFileSystemProvider} installed by the system property, and installed but switched off.
 * Every scenario must observe the same (results, bytes, exception types and messages); Ringpark's
 * counter proves the installed provider's I/O went through Ringpark, and that the switched-off one
 * ran nothing of Ringpark.
 */
class ProviderDifferentialTest {
    static final String INSTALL = "-Djava.nio.file.spi.DefaultFileSystemProvider=" + RingFileSystemProvider.class.getName();
    static final String SWITCH_OFF = "-D" + RingFileSystemProvider.PROVIDER_PROP_NAME + "=off";
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    @Test
    void filesAndFileChannelBehaveTheSameThroughTheProvider() throws Exception {
        ChildJvm.Result jdk = run("jdk", List.of());
        ChildJvm.Result ring = run("ring", List.of(INSTALL));
        ChildJvm.Result off = run("off", List.of(INSTALL, SWITCH_OFF));
        assertTrue(observed(jdk).size() > 40, jdk::toString);
        assertEquals(observed(jdk), observed(ring), "the provider must not change what java.nio.file does");
        assertEquals(observed(jdk), observed(off), "switched off, the provider must not change anything");
        assertAll(
                () -> assertTrue(ring.stdout().contains("!DEFAULT_PROVIDER=" + RingFileSystemProvider.class.getName()), ring::toString),
                () -> assertTrue(ring.stdout().contains("!PATH_CLASS=" + RingPath.class.getName()), ring::toString),
                () -> assertTrue(ring.stdout().contains("!FILE_CHANNEL_CLASS=dev.ringpark."), ring::toString),
                () -> assertTrue(ring.stdout().contains("!SECURE_CHANNEL_CLASS=dev.ringpark."), ring::toString),
                () -> assertTrue(ring.stdout().contains("!INPUT_STREAM_CLASS=" + RingInputStream.class.getName()), ring::toString),
                () -> assertTrue(ring.value("!CHANNELS_OPENED") > 50, "the I/O went through Ringpark: " + ring),
                () -> assertTrue(ring.stdout().contains("!POLLER_RUNNING=true"), ring::toString),
                () -> assertTrue(ring.stdout().contains("!SECOND_COPY_USES_THE_DEFAULT=true"), ring::toString),
                () -> assertTrue(jdk.stdout().contains("!SECOND_COPY_USES_THE_DEFAULT=false"), jdk::toString),
                () -> assertTrue(off.stdout().contains("!DEFAULT_PROVIDER=sun.nio.fs.LinuxFileSystemProvider"), off::toString),
                () -> assertTrue(off.stdout().contains("!PATH_CLASS=sun.nio.fs.UnixPath"), off::toString),
                () -> assertEquals(0, off.value("!CHANNELS_OPENED"), off::toString),
                () -> assertTrue(off.stdout().contains("!FILE_CHANNEL_CLASS=sun.nio.ch.FileChannelImpl"), off::toString),
                // A known limit of any default provider but the JDK's: UnixDomainSocketAddress.of refuses its paths.
                () -> assertTrue(jdk.stdout().contains("!UNIX_DOMAIN_SOCKET=$DIR/s"), jdk::toString),
                () -> assertTrue(ring.stdout().contains("!UNIX_DOMAIN_SOCKET=threw java.lang.IllegalArgumentException"),
                        ring::toString));
    }

    /** An interrupt neither closes nor cancels the streams, nor readAllBytes's channel; a channel it does close. */
    @Test
    void interruptsDoWhatTheyDoOnTheJdk() throws Exception {
        String interrupts = "-Dscenarios.interrupts=true";
        assertEquals(observed(run("jdk", List.of(interrupts))), observed(run("ring", List.of(INSTALL, interrupts))));
    }

    /**
     * Files named in bytes that the encoding of file names cannot decode open as on the JDK, under the
     * POSIX locale (names in ASCII) and a UTF-8 one: the JDK opens them by their bytes, which their
     * strings do not hold.
     */
    @ParameterizedTest
    @CsvSource({"C, ANSI_X3.4-1968", "C.UTF-8, UTF-8"})
    void namesOpenByTheirBytesUnderEveryLocale(String locale, String encoding) throws Exception {
        List<String> options = List.of("-Dscenarios.fileNamesOnly=true");
        Map<String, String> environment = Map.of("LC_ALL", locale);
        ChildJvm.Result jdk = run("jdk-" + locale, options, environment);
        assumeTrue(jdk.stdout().contains("!FILE_NAME_ENCODING=" + encoding),
                () -> "the locale " + locale + " does not encode file names in " + encoding + " here: " + jdk);
        assertFileNamesAsOnTheJdk(jdk, "ring-" + locale, options, environment);
    }

    /**
     * An application launched from a named module has only the modules it requires, often neither
     * {@code jdk.unsupported} (where {@code ExtendedOpenOption} lives) nor {@code java.management}
     * (the statistics MBean's interfaces): the provider's opens must need neither.
     */
    @Test
    void opensNeedNoModuleButJavaBase() throws Exception {
        List<String> options = List.of("--limit-modules", "java.base", "-Dscenarios.fileNamesOnly=true");
        assertFileNamesAsOnTheJdk(run("jdk-base", options), "ring-base", options, Map.of());
    }

    /**
     * Runs the file-name scenarios, which {@code jdk} ran on the JDK's provider with {@code options}
     * and {@code environment}, again with the provider installed: the same two lines, and the opens
     * through Ringpark.
     */
    private void assertFileNamesAsOnTheJdk(ChildJvm.Result jdk, String name, List<String> options,
                                           Map<String, String> environment) throws Exception {
        List<String> withProvider = new ArrayList<>(options);
        withProvider.add(INSTALL);
        ChildJvm.Result ring = run(name, withProvider, environment);
        assertEquals(2, observed(jdk).size(), jdk::toString);
        assertEquals(observed(jdk), observed(ring));
        assertTrue(ring.value("!CHANNELS_OPENED") >= 4, "the opens went through Ringpark: " + ring);
    }

    private ChildJvm.Result run(String name, List<String> options) throws Exception {
        return run(name, options, Map.of());
    }

    private ChildJvm.Result run(String name, List<String> options, Map<String, String> environment) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        ChildJvm.Result child = ChildJvm.run(ChildJvm.command(List.of(), options, dir, ProviderScenarios.class,
                dir.resolve("scenarios").toString()), dir, CHILD_TIMEOUT, environment);
        ChildJvm.assertNoCrash(child, dir);
        assertEquals(0, child.exitCode(), child::toString);
        return child;
    }

    /** The scenario lines, without the notes that may differ. */
    private static List<String> observed(ChildJvm.Result child) {
        List<String> lines = new ArrayList<>();
        for (String line : child.stdout().split("\n")) {
            if (!line.startsWith("!") && !line.isBlank()) {
                lines.add(line);
            }
        }
        return lines;
    }
}
