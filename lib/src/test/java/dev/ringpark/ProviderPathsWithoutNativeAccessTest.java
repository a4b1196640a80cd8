package dev.ringpark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without native access, with the provider installed and a pool of one thread: opening a path the
 * provider made ({@code Path.of}) with {@code RingFileChannel.open} runs the JDK's open on the pool
 * with the platform's path. With the provider's path the JDK's open would come back to the provider,
 * which would queue a second open behind the first on the one pool thread, and hang.
 */
class ProviderPathsWithoutNativeAccessTest {
    @TempDir
    Path tmp;

    @Test
    void aProviderPathOpensOnThePoolWithoutComingBackToIt() throws Exception {
        List<String> options = new ArrayList<>(List.of(ChildJvm.DENY_NATIVE_ACCESS,
                "-Djava.nio.file.spi.DefaultFileSystemProvider=" + RingFileSystemProvider.class.getName(),
                "-D" + Ringpark.THREADS_PROP_NAME + "=1"));
        ChildJvm.Result child = ChildJvm.run(
                ChildJvm.command(List.of(), options, tmp, SettingsProbe.class, tmp.toString()), tmp,
                Duration.ofSeconds(60));
        ChildJvm.assertNoCrash(child, tmp);
        assertEquals(0, child.exitCode(), child.toString());
        assertTrue(child.stdout().contains("OPEN ok"), child.toString());
    }
}
