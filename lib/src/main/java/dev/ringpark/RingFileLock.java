package dev.ringpark;

import java.io.IOException;
import java.nio.channels.FileLock;

/** A lock taken through the {@link JdkCompanion}, presented as a lock of the Ringpark channel. */
final class RingFileLock extends FileLock {
    private final FileLock delegate;

    RingFileLock(RingFileChannel channel, FileLock delegate) {
        super(channel, delegate.position(), delegate.size(), delegate.isShared());
        this.delegate = delegate;
    }

    @Override
    public boolean isValid() {
        return delegate.isValid();
    }

    @Override
    public void release() throws IOException {
        delegate.release();
    }
}
