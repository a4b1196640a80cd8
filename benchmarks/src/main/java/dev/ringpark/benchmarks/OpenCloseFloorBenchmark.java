package dev.ringpark.benchmarks;

import dev.ringpark.RingFileChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.nio.file.StandardOpenOption.READ;

/**
 * The floor under {@link OpenCloseBenchmark}: the system calls that opening, reading and closing a
 * cached 4 KiB file takes, made directly from Java with nothing around them, next to the channels
 * that make them. All on one platform thread, so that no scheduler takes part.
 * <ul>
 *   <li>{@code jdkSystemCalls}: what {@code FileChannel} makes: {@code openat}, {@code pread},
 *       {@code close};</li>
 *   <li>{@code ringparkSystemCalls}: what {@code RingFileChannel} makes to show that none of them
 *       can block (see {@code CallerCalls}): the look ({@code openat2(O_PATH, RESOLVE_CACHED)},
 *       {@code statx}, {@code close}), the open ({@code openat2(O_NONBLOCK, RESOLVE_CACHED)},
 *       {@code fcntl(F_SETFL)}), {@code preadv2(RWF_NOWAIT)}, and the close ({@code statx} of the
 *       link count, {@code close});</li>
 *   <li>{@code lookSystemCalls}: the look alone, the three calls that keep a FIFO or a device from
 *       being opened on the caller;</li>
 *   <li>{@code jdkChannel} and {@code ringparkChannel}: the same through the channels.</li>
 * </ul>
 * The channel's cost less its system calls' is what its Java adds; the ratio of the two system-call
 * rows bounds what {@code RingFileChannel} can reach against {@code FileChannel} while it keeps
 * those calls. Bindings are plain C-library calls without errno capture: the floor, not Ringpark's
 * own bindings.
 *
 * <h2>How to run</h2>
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar OpenCloseFloorBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@State(Scope.Thread)
public class OpenCloseFloorBenchmark {
    private static final int FILE_BYTES = OpenCloseBenchmark.FILE_BYTES;

    private static final int AT_FDCWD = -100;
    private static final int O_CLOEXEC = 0x80000;
    private static final int O_NONBLOCK = 0x800;
    private static final int O_PATH = 0x200000;
    private static final long RESOLVE_CACHED = 0x20;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int AT_STATX_DONT_SYNC = 0x4000;
    private static final int STATX_TYPE = 0x1;
    private static final int STATX_NLINK = 0x4;
    private static final int STATX_MNT_ID = 0x1000;
    private static final int F_SETFL = 4;
    private static final int RWF_NOWAIT = 0x8;
    /** {@code openat2}'s number, the same on x86_64 and aarch64. */
    private static final long SYS_OPENAT2 = 437;
    private static final long OPEN_HOW_BYTES = 24;
    private static final long STATX_BYTES = 256;
    private static final long IOVEC_BYTES = 16;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPENAT = function("openat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(3));
    private static final MethodHandle OPENAT2 = function("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle STATX = function("statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle FCNTL = function("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle PREAD = function("pread",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle PREADV2 = function("preadv2",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private Path file;
    private Arena memory;
    private MemorySegment cPath;
    private MemorySegment pathHow;
    private MemorySegment openHow;
    private MemorySegment statx;
    private MemorySegment emptyPath;
    private MemorySegment iovec;
    private MemorySegment buffer;
    private ByteBuffer channelBuffer;

    /** Writes the file (so that it is cached) and lays out every argument once. */
    @Setup(Level.Trial)
    public void createFile() throws IOException {
        file = BenchmarkFile.createEmpty("ringpark-floor-");
        Files.write(file, new byte[FILE_BYTES]);
        memory = Arena.ofConfined();
        cPath = memory.allocateFrom(file.toString());
        pathHow = openHow(O_PATH | O_CLOEXEC);
        openHow = openHow(O_NONBLOCK | O_CLOEXEC);
        statx = memory.allocate(STATX_BYTES, 8);
        emptyPath = memory.allocate(1);
        buffer = memory.allocate(FILE_BYTES, 4096);
        iovec = memory.allocate(IOVEC_BYTES, 8);
        iovec.set(JAVA_LONG, 0, buffer.address());
        iovec.set(JAVA_LONG, 8, FILE_BYTES);
        channelBuffer = buffer.asByteBuffer();
    }

    private MemorySegment openHow(int flags) {
        MemorySegment how = memory.allocate(OPEN_HOW_BYTES, 8);
        how.set(JAVA_LONG, 0, flags);
        how.set(JAVA_LONG, 16, RESOLVE_CACHED);
        return how;
    }

    /** Frees the arguments and deletes the file. */
    @TearDown(Level.Trial)
    public void deleteFile() throws IOException {
        memory.close();
        Files.deleteIfExists(file);
    }

    /** {@code openat(O_RDONLY)}, {@code pread}, {@code close}, as the JDK makes them: the bytes read. */
    @Benchmark
    public long jdkSystemCalls() throws Throwable {
        int fd = (int) OPENAT.invokeExact(AT_FDCWD, cPath, 0);
        long n = (long) PREAD.invokeExact(fd, buffer, (long) FILE_BYTES, 0L);
        int closed = (int) CLOSE.invokeExact(fd);
        return checked(fd, n, closed);
    }

    /** The eight calls of an open, read and close on the caller: the bytes read. */
    @Benchmark
    public long ringparkSystemCalls() throws Throwable {
        int lookFailed = look();
        int fd = (int) (long) OPENAT2.invokeExact(SYS_OPENAT2, AT_FDCWD, cPath, openHow, OPEN_HOW_BYTES);
        int flagsSet = (int) FCNTL.invokeExact(fd, F_SETFL, O_CLOEXEC);
        long n = (long) PREADV2.invokeExact(fd, iovec, 1, 0L, RWF_NOWAIT);
        int linked = (int) STATX.invokeExact(fd, emptyPath, AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_NLINK, statx);
        int closed = (int) CLOSE.invokeExact(fd);
        return checked(fd, n, lookFailed | flagsSet | linked | closed);
    }

    /** The look alone, the three of those eight that come before the open. */
    @Benchmark
    public int lookSystemCalls() throws Throwable {
        int results = look();
        if (results < 0) {
            throw new IllegalStateException("a system call of the look failed");
        }
        return results;
    }

    /** {@code openat2(O_PATH)}, {@code statx}, {@code close}: their results or'ed, negative when one failed. */
    private int look() throws Throwable {
        int looked = (int) (long) OPENAT2.invokeExact(SYS_OPENAT2, AT_FDCWD, cPath, pathHow, OPEN_HOW_BYTES);
        int typed = (int) STATX.invokeExact(looked, emptyPath, AT_EMPTY_PATH | AT_STATX_DONT_SYNC,
                STATX_TYPE | STATX_MNT_ID, statx);
        int closed = (int) CLOSE.invokeExact(looked);
        return looked | typed | closed;
    }

    /** {@code FileChannel.open}, {@code read}, {@code close}: the bytes read. */
    @Benchmark
    public long jdkChannel() throws IOException {
        try (FileChannel channel = FileChannel.open(file, READ)) {
            return channel.read(channelBuffer.clear(), 0);
        }
    }

    /** {@code RingFileChannel.open}, {@code read}, {@code close}: the bytes read. */
    @Benchmark
    public long ringparkChannel() throws IOException {
        try (FileChannel channel = RingFileChannel.open(file, READ)) {
            return channel.read(channelBuffer.clear(), 0);
        }
    }

    /** {@code bytes}, once every descriptor and result is seen to be non-negative. */
    private static long checked(int descriptors, long bytes, int results) {
        if (descriptors < 0 || results < 0 || bytes != FILE_BYTES) {
            throw new IllegalStateException("a system call failed: read " + bytes + " of " + FILE_BYTES + " bytes");
        }
        return bytes;
    }

    @SuppressWarnings("restricted") // a benchmark of native calls; run with --enable-native-access
    private static MethodHandle function(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("the C library has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }
}
