package dev.ringpark;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real consumer of the provider: Apache Lucene, through {@link LuceneProbe}, in a child JVM with
 * {@link RingFileSystemProvider} as the default file system provider and in one without. Lucene opens
 * every index file with {@code FileChannel.open} or {@code Files.newOutputStream}, maps them
 * ({@code FileChannel.map} with an {@code Arena}), fsyncs files and the directory, and holds
 * {@code write.lock} with {@code tryLock}; all of it must work, and every hit count and the
 * {@code CheckIndex} verdict must match the JDK's.
 */
class LuceneUnderProviderTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(180);

    @TempDir
    Path tmp;

    @Test
    void luceneIndexesAndSearchesTheSameThroughRingpark() throws Exception {
        ChildJvm.Result jdk = run("jdk", List.of());
        ChildJvm.Result ring = run("ring", List.of(ProviderDifferentialTest.INSTALL));
        List<String> expected = observed(jdk);
        assertEquals(expected, observed(ring), "hit counts and CheckIndex under the provider");
        assertAll(
                () -> assertTrue(expected.contains("fsdirectory CheckIndex clean=true segments=" + segments(jdk, "fsdirectory")),
                        jdk::toString),
                () -> assertTrue(expected.stream().anyMatch(line -> line.startsWith("niofs CheckIndex clean=true")), jdk::toString),
                () -> assertTrue(ring.stdout().contains("!DIRECTORY fsdirectory MMapDirectory"), ring::toString),
                () -> assertTrue(ring.stdout().contains("!DIRECTORY niofs NIOFSDirectory"), ring::toString),
                () -> assertTrue(ring.value("!CHANNELS_OPENED") > 100, "Lucene's files went through Ringpark: " + ring),
                () -> assertEquals(0, jdk.value("!CHANNELS_OPENED"), jdk::toString));
    }

    private static String segments(ChildJvm.Result child, String kind) {
        for (String line : child.stdout().split("\n")) {
            if (line.startsWith(kind + " CheckIndex")) {
                return line.substring(line.indexOf("segments=") + "segments=".length());
            }
        }
        throw new AssertionError("no CheckIndex line for " + kind + ": " + child);
    }

    private ChildJvm.Result run(String name, List<String> options) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        ChildJvm.Result child = ChildJvm.run(ChildJvm.command(List.of(), options, dir, LuceneProbe.class,
                dir.resolve("indexes").toString()), dir, CHILD_TIMEOUT);
        ChildJvm.assertNoCrash(child, dir);
        assertEquals(0, child.exitCode(), child::toString);
        System.out.println("LuceneUnderProviderTest " + name + " (" + child.elapsed().toMillis() + " ms):\n" + child.stdout());
        return child;
    }

    private static List<String> observed(ChildJvm.Result child) {
        List<String> lines = new ArrayList<>();
        for (String line : child.stdout().split("\n")) {
            if (!line.startsWith("!") && !line.isBlank()) {
                lines.add(line);
            }
        }
        assertTrue(lines.size() >= 2 * 11, child::toString);
        return lines;
    }
}
