package dev.ringpark;

import static java.nio.file.StandardOpenOption.READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A channel dropped without being closed gives its descriptor back once it is collected, as the
 * JDK's does; a channel its program closed is never closed again when it is collected, since its
 * number may belong to another file by then.
 */
class UnclosedChannelTest {
    private static final long PATIENCE_NANOS = 60_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void droppedChannelsGiveTheirDescriptorsBack() throws Exception {
        Path file = Files.write(dir.resolve("dropped"), new byte[100]);
        openAndDrop(file, 100);
        assertEquals(100, descriptorsOn(file), "each channel holds a descriptor until it is collected");
        awaitAfterCollections(() -> descriptorsOn(file) == 0, () -> descriptorsOn(file) + " descriptors still open");
    }

    @Test
    void theReclaimHoldsNoOsThread() throws Exception {
        openAndDrop(Files.write(dir.resolve("first"), new byte[100]), 1); // the reclaim has started
        Set<String> platformThreads = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .collect(Collectors.toSet());
        assertTrue(platformThreads.stream().noneMatch(name -> name.startsWith("ringpark-reclaim")),
                () -> "a platform thread reclaims descriptors: " + platformThreads);
    }

    @Test
    void collectingAClosedChannelClosesNothingElse() throws Exception {
        Path closedFirst = Files.write(dir.resolve("closed"), new byte[100]);
        Path reopened = Files.write(dir.resolve("reopened"), new byte[100]);
        Path dropped = Files.write(dir.resolve("dropped"), new byte[100]);
        List<RingFileChannel> survivors = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            RingFileChannel closed = RingFileChannel.open(closedFirst, Set.of(READ));
            closed.read(ByteBuffer.allocate(1), 0);
            closed.close();
            survivors.add(RingFileChannel.open(reopened, Set.of(READ))); // most likely the number just freed
        }
        // Dropped after the closed ones: once these are reclaimed, the reclaim has passed the closed ones too.
        openAndDrop(dropped, 50);
        awaitAfterCollections(() -> descriptorsOn(dropped) == 0, () -> descriptorsOn(dropped) + " dropped still open");
        assertEquals(50, descriptorsOn(reopened), "no survivor's descriptor was closed");
        for (RingFileChannel survivor : survivors) {
            assertEquals(100, survivor.read(ByteBuffer.allocate(200), 0));
            survivor.close();
        }
    }

    /** Opens {@code count} channels on {@code file}, reads from each, and keeps none. */
    private static void openAndDrop(Path file, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            RingFileChannel channel = RingFileChannel.open(file, Set.of(READ));
            channel.read(ByteBuffer.allocate(1), 0);
        }
    }

    private static long descriptorsOn(Path file) {
        try {
            String target = file.toRealPath().toString();
            return OpenDescriptors.snapshot().values().stream().filter(target::equals).count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Asks for collections until {@code done} holds; fails after a minute with {@code state}. */
    private static void awaitAfterCollections(BooleanSupplier done, Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not reclaimed within a minute: " + state.get());
            }
            System.gc();
            Thread.sleep(10);
        }
    }
}
