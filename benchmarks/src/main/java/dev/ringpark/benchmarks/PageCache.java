package dev.ringpark.benchmarks;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.nio.file.StandardOpenOption.READ;

/**
 * Puts a file's pages in or out of the page cache, the same way for every contender.
 *
 * <p>Dropping calls {@code posix_fadvise(POSIX_FADV_DONTNEED)} through its own small binding rather
 * than {@code RingFileChannel.advise}: that would start Ringpark's poller thread in the JDK's forks
 * too and add it to the OS threads they report. The pages must be clean (written through), which
 * {@link BenchmarkFile} sees to.
 */
@SuppressWarnings("restricted") // binding posix_fadvise is what this class needs native access for
final class PageCache {
    private static final int O_RDONLY = 0;
    private static final int POSIX_FADV_DONTNEED = 4;
    private static final int FILL_CHUNK_BYTES = 1 << 20;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    /** {@code int open(const char *path, int flags, ...)}: variadic after the flags. */
    private static final MethodHandle OPEN = LINKER.downcallHandle(symbol("open"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
    /** {@code int posix_fadvise(int fd, off_t offset, off_t len, int advice)}: returns the error number. */
    private static final MethodHandle FADVISE = LINKER.downcallHandle(symbol("posix_fadvise"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(symbol("close"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private PageCache() {
    }

    /** Drops the file's clean pages from the page cache, so that the next buffered reads go to the disk. */
    static void drop(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = arena.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(callState, arena.allocateFrom(file.toString()), O_RDONLY, 0);
            if (fd < 0) {
                throw new IOException("open " + file + " failed: errno " + (int) ERRNO.get(callState, 0L));
            }
            int error = (int) FADVISE.invokeExact(fd, 0L, 0L, POSIX_FADV_DONTNEED);
            int closed = (int) CLOSE.invokeExact(fd);
            if (error != 0 || closed != 0) {
                throw new IOException("posix_fadvise(DONTNEED) of " + file + " failed: error " + error);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("unexpected exception from a native call", t);
        }
    }

    /**
     * Drops every clean page, dentry and inode the kernel caches ({@code echo 3 >
     * /proc/sys/vm/drop_caches}), so that opening a path reads directories and inodes from the disk
     * too. Needs root.
     *
     * @throws IOException saying so when the file cannot be written
     */
    static void dropEverything() throws IOException {
        Path dropCaches = Path.of("/proc/sys/vm/drop_caches");
        if (!Files.isWritable(dropCaches)) {
            throw new IOException("cold small files need root: " + dropCaches + " is not writable");
        }
        Files.writeString(dropCaches, "3");
    }

    /** Reads the whole file once, sequentially, so that all of it is in the page cache. */
    static void fill(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, READ)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(FILL_CHUNK_BYTES);
            long position = 0;
            for (int bytes; (bytes = channel.read(buffer.clear(), position)) > 0; ) {
                position += bytes;
            }
        }
    }

    private static MemorySegment symbol(String name) {
        return LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc has no " + name));
    }
}
