package dev.ringpark;

import java.io.IOException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;

/**
 * TEMPORARY stand-in for {@code RingFileChannel.openUninterruptible}, which is on its way: until it
 * lands, the channel behind the streams is an ordinary (interruptible) Ringpark channel, and the
 * tests of interrupts are disabled.
 */
final class UninterruptibleOpen {
    private UninterruptibleOpen() {
    }

    /**
     * Opens as {@link RingFileChannel#open(Path, Set, FileAttribute[])}, for a channel that an
     * interrupt of the calling thread will neither close nor cancel.
     */
    static RingFileChannel openUninterruptible(Path path, Set<? extends OpenOption> options,
                                               FileAttribute<?>... attributes) throws IOException {
        return RingFileChannel.open(path, options, attributes);
    }
}
