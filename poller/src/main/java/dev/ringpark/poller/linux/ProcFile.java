package dev.ringpark.poller.linux;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Reads a file of {@code /proc} with plain system calls, not through {@code java.nio.file}: with
 * Ringpark installed as the default file system provider, {@code Files} would come back into
 * Ringpark, which may be what is asking (while its poller starts, say). These files live in memory:
 * reading them never waits for a device.
 */
public final class ProcFile {
    private static final int CHUNK_BYTES = 16 * 1024;

    private ProcFile() {
    }

    /** The whole file as text, or {@code null} when it cannot be opened or read. */
    public static String read(String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = LibC.allocateCallState(arena);
            int fd = LibC.openat(callState, OpenFlags.AT_FDCWD, arena.allocateFrom(path),
                    OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC, 0);
            if (fd < 0) {
                return null;
            }
            try {
                MemorySegment chunk = arena.allocate(CHUNK_BYTES);
                ByteArrayOutputStream text = new ByteArrayOutputStream();
                for (;;) {
                    long n = LibC.read(callState, fd, chunk, CHUNK_BYTES);
                    if (n < 0) {
                        return null;
                    }
                    if (n == 0) {
                        return text.toString(StandardCharsets.UTF_8);
                    }
                    text.write(chunk.asSlice(0, n).toArray(JAVA_BYTE), 0, (int) n);
                }
            } finally {
                LibC.close(callState, fd);
            }
        }
    }
}
