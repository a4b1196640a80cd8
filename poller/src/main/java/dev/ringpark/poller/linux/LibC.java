package dev.ringpark.poller.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Downcalls into glibc, each returning its result or {@code -errno}.
 *
 * <p>Calls that may fail capture {@code errno} into a caller-supplied {@code callState} segment
 * rather than a shared one, so that any thread may make them. System calls without a glibc wrapper
 * (io_uring's) go through libc's variadic {@code syscall}, whose arguments are all passed as
 * {@code long}: glibc reads every argument as a {@code long}, so narrower ones would leave garbage in
 * the upper half of the register.
 */
@SuppressWarnings("restricted") // binding native code is what this class is for
public final class LibC {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** Bytes a {@code callState} segment needs. */
    public static final long CALL_STATE_BYTES = CALL_STATE.byteSize();

    /** {@code lseek} whence: set the offset to the argument. */
    public static final int SEEK_SET = 0;
    /** {@code lseek} whence: the current offset plus the argument. */
    public static final int SEEK_CUR = 1;
    /** {@code eventfd} flag: close on exec. */
    public static final int EFD_CLOEXEC = 0x80000;
    /** {@code eventfd} flag: reads and writes never block. */
    public static final int EFD_NONBLOCK = 0x800;
    /** {@code preadv2}/{@code pwritev2} flag: fail with {@code EAGAIN} rather than wait. */
    public static final int RWF_NOWAIT = 0x8;
    /** {@code openat2}'s number, the same on x86_64 and aarch64 (the numbers from 424 on are shared). */
    private static final long SYS_OPENAT2 = 437;
    /** {@code fcntl} command: get the file status flags (those of the open file description). */
    public static final int F_GETFL = 3;
    /** {@code fcntl} command: set the file status flags. */
    public static final int F_SETFL = 4;
    /** {@code ioctl} request on a block device: its size in bytes, as a 64-bit value. */
    public static final long BLKGETSIZE64 = 0x80081272L;
    /** {@code poll} event: there is data to read. */
    public static final short POLLIN = 0x1;
    /** {@code poll} event: writing will not block. */
    public static final short POLLOUT = 0x4;
    /** {@code splice} flag: the pipe end neither waits for data nor for room ({@code EAGAIN} instead). */
    public static final int SPLICE_F_NONBLOCK = 0x2;

    private static final MethodHandle SYSCALL_3 = capturing("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle SYSCALL_6 = capturing("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                    JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle PREADV2 = capturing("preadv2",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle PWRITEV2 = capturing("pwritev2",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle COPY_FILE_RANGE = capturing("copy_file_range",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SENDFILE = capturing("sendfile",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle SPLICE = capturing("splice",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle READ = capturing("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle POLL = capturing("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle OPENAT = capturing("openat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(3));
    private static final MethodHandle UNLINKAT = capturing("unlinkat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle STATX = capturing("statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle FCNTL = capturing("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle FTRUNCATE = capturing("ftruncate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle FSYNC = capturing("fsync",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle FDATASYNC = capturing("fdatasync",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle POSIX_FADVISE = plain("posix_fadvise",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle EVENTFD = capturing("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle WRITE = capturing("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE_IGNORING_ERRNO = plain("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE = capturing("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle LSEEK = capturing("lseek",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle FSTATVFS = capturing("fstatvfs",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle IOCTL = capturing("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle MMAP = capturing("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = capturing("munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle ALIGNED_ALLOC = plain("aligned_alloc",
            FunctionDescriptor.of(ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle FREE = plain("free",
            FunctionDescriptor.ofVoid(ADDRESS));
    // Critical: it neither blocks nor calls back, and costs less than the thread-state changes it skips.
    private static final MethodHandle SCHED_GETCPU = LINKER.downcallHandle(symbol("sched_getcpu"),
            FunctionDescriptor.of(JAVA_INT), Linker.Option.critical(false));
    private static final MethodHandle STRERROR = plain("strerror",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));


    private LibC() {
    }

    /** Allocates a segment suitable as a {@code callState} argument. */
    public static MemorySegment allocateCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    /** {@code syscall(number, a, b, c)}. */
    public static long syscall(MemorySegment callState, long number, long a, long b, long c) {
        try {
            return result((long) SYSCALL_3.invokeExact(callState, number, a, b, c), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code syscall(number, a, b, c, d, e, f)}. */
    public static long syscall(MemorySegment callState, long number,
                               long a, long b, long c, long d, long e, long f) {
        try {
            return result((long) SYSCALL_6.invokeExact(callState, number, a, b, c, d, e, f), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code preadv2(2)}: bytes read, 0 at end of file, or {@code -errno}. */
    public static long preadv2(MemorySegment callState, int fd, MemorySegment iovecs, int count,
                               long offset, int flags) {
        try {
            return result((long) PREADV2.invokeExact(callState, fd, iovecs, count, offset, flags), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code pwritev2(2)}: bytes written or {@code -errno}. */
    public static long pwritev2(MemorySegment callState, int fd, MemorySegment iovecs, int count,
                                long offset, int flags) {
        try {
            return result((long) PWRITEV2.invokeExact(callState, fd, iovecs, count, offset, flags), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code copy_file_range(2)} from {@code inFd} at {@code *inOffset} to {@code outFd} at
     * {@code *outOffset} (each a native {@code long}, moved past what was copied): bytes copied, 0 at
     * the end of the source, or {@code -errno}.
     */
    public static long copyFileRange(MemorySegment callState, int inFd, MemorySegment inOffset, int outFd,
                                     MemorySegment outOffset, long length) {
        try {
            return result((long) COPY_FILE_RANGE.invokeExact(callState, inFd, inOffset, outFd, outOffset, length, 0),
                    callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code sendfile(2)} from {@code inFd} at {@code *inOffset} (a native {@code long}, moved past what
     * was sent) to {@code outFd} at its file position: bytes sent or {@code -errno}.
     */
    public static long sendfile(MemorySegment callState, int outFd, int inFd, MemorySegment inOffset, long count) {
        try {
            return result((long) SENDFILE.invokeExact(callState, outFd, inFd, inOffset, count), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code splice(2)}: one of the descriptors a pipe, whose offset is {@link MemorySegment#NULL}; the
     * other's offset a native {@code long}, moved past what was moved. Bytes moved, 0 at the end of a
     * pipe with no writer left, or {@code -errno}.
     */
    public static long splice(MemorySegment callState, int inFd, MemorySegment inOffset, int outFd,
                              MemorySegment outOffset, long length, int flags) {
        try {
            return result((long) SPLICE.invokeExact(callState, inFd, inOffset, outFd, outOffset, length, flags),
                    callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code read(2)}: bytes read, 0 at end of file, or {@code -errno}. */
    public static long read(MemorySegment callState, int fd, MemorySegment buffer, long count) {
        try {
            return result((long) READ.invokeExact(callState, fd, buffer, count), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code poll(2)} on {@code count} {@link PollFd} entries, waiting at most {@code timeoutMillis}
     * (-1: for ever): how many entries have events, or {@code -errno}.
     */
    public static int poll(MemorySegment callState, MemorySegment pollFds, int count, int timeoutMillis) {
        try {
            return (int) result((int) POLL.invokeExact(callState, pollFds, (long) count, timeoutMillis), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code openat2(2)} with an {@link OpenHow}: a new descriptor or {@code -errno} ({@code ENOSYS} before Linux 5.6). */
    public static int openat2(MemorySegment callState, int directoryFd, MemorySegment path, MemorySegment how) {
        return (int) syscall(callState, SYS_OPENAT2, directoryFd, path.address(), how.address(), OpenHow.BYTES, 0, 0);
    }

    /** {@code openat(2)}: a new descriptor or {@code -errno}. */
    public static int openat(MemorySegment callState, int directoryFd, MemorySegment path, int flags, int mode) {
        try {
            return (int) result((int) OPENAT.invokeExact(callState, directoryFd, path, flags, mode), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code unlinkat(2)}: 0 or {@code -errno}. */
    public static int unlinkat(MemorySegment callState, int directoryFd, MemorySegment path, int flags) {
        try {
            return (int) result((int) UNLINKAT.invokeExact(callState, directoryFd, path, flags), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code statx(2)}: 0 or {@code -errno}. */
    public static int statx(MemorySegment callState, int directoryFd, MemorySegment path, int flags, int mask,
                            MemorySegment statx) {
        try {
            return (int) result((int) STATX.invokeExact(callState, directoryFd, path, flags, mask, statx), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code fcntl(2)} with an integer argument ({@code F_GETFL}, {@code F_SETFL}): its result or {@code -errno}. */
    public static int fcntl(MemorySegment callState, int fd, int command, int argument) {
        try {
            return (int) result((int) FCNTL.invokeExact(callState, fd, command, argument), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code ftruncate(2)}: 0 or {@code -errno}. */
    public static int ftruncate(MemorySegment callState, int fd, long length) {
        try {
            return (int) result((int) FTRUNCATE.invokeExact(callState, fd, length), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code fsync(2)}, or {@code fdatasync(2)} when {@code dataOnly}: 0 or {@code -errno}. */
    public static int fsync(MemorySegment callState, int fd, boolean dataOnly) {
        try {
            int rc = dataOnly ? (int) FDATASYNC.invokeExact(callState, fd) : (int) FSYNC.invokeExact(callState, fd);
            return (int) result(rc, callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code posix_fadvise(3)}: 0 or {@code -errno} (it returns its error rather than setting errno). */
    public static int posixFadvise(int fd, long offset, long length, int advice) {
        try {
            return -(int) POSIX_FADVISE.invokeExact(fd, offset, length, advice);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code eventfd(2)}: a new descriptor or {@code -errno}. */
    public static int eventfd(MemorySegment callState, int initialValue, int flags) {
        try {
            return (int) result((int) EVENTFD.invokeExact(callState, initialValue, flags), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code write(2)}: bytes written or {@code -errno}. */
    public static long write(MemorySegment callState, int fd, MemorySegment buffer, long count) {
        try {
            return result((long) WRITE.invokeExact(callState, fd, buffer, count), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * Adds {@code increment} (an 8-byte native value) to the eventfd {@code fd}. Errors are ignored:
     * the only possible one, an overflowing counter, still leaves the eventfd readable.
     */
    public static void signalEventfd(int fd, MemorySegment increment) {
        try {
            long ignored = (long) WRITE_IGNORING_ERRNO.invokeExact(fd, increment, 8L);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code close(2)}: 0 or {@code -errno}. */
    public static int close(MemorySegment callState, int fd) {
        try {
            return (int) result((int) CLOSE.invokeExact(callState, fd), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code lseek(2)}: the resulting offset or {@code -errno}. */
    public static long lseek(MemorySegment callState, int fd, long offset, int whence) {
        try {
            return result((long) LSEEK.invokeExact(callState, fd, offset, whence), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code fstatvfs(3)} into a {@link Statvfs}: 0 or {@code -errno}. */
    public static int fstatvfs(MemorySegment callState, int fd, MemorySegment statvfs) {
        try {
            return (int) result((int) FSTATVFS.invokeExact(callState, fd, statvfs), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code ioctl(2)} with a pointer argument: its result or {@code -errno}. */
    public static int ioctl(MemorySegment callState, int fd, long request, MemorySegment argument) {
        try {
            return (int) result((int) IOCTL.invokeExact(callState, fd, request, argument), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code mmap(2)} of a shared mapping of {@code fd}: the mapping, or {@code -errno} as an address. */
    public static long mmapShared(MemorySegment callState, long length, int fd, long offset) {
        final int protReadWrite = 0x1 | 0x2;
        final int mapSharedPopulate = 0x01 | 0x8000;
        try {
            MemorySegment address = (MemorySegment) MMAP.invokeExact(callState, MemorySegment.NULL, length,
                    protReadWrite, mapSharedPopulate, fd, offset);
            return result(address.address(), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code munmap(2)}: 0 or {@code -errno}. */
    public static int munmap(MemorySegment callState, MemorySegment mapping) {
        try {
            return (int) result((int) MUNMAP.invokeExact(callState, mapping, mapping.byteSize()), callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code aligned_alloc(3)}: {@code bytes} of native memory aligned to {@code alignment}, to be
     * given back with {@link #free}; {@link MemorySegment#NULL} when the allocator has none.
     */
    public static MemorySegment alignedAlloc(long alignment, long bytes) {
        try {
            MemorySegment raw = (MemorySegment) ALIGNED_ALLOC.invokeExact(alignment, bytes);
            return raw.equals(MemorySegment.NULL) ? raw : raw.reinterpret(bytes);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /**
     * {@code sched_getcpu(3)}: the CPU the calling thread ran on during the call, or -1. A hint only:
     * the thread may be moved at once. glibc answers from the thread's {@code rseq} area or the vDSO,
     * without entering the kernel.
     */
    public static int schedGetcpu() {
        try {
            return (int) SCHED_GETCPU.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code free(3)} of memory from {@link #alignedAlloc}. */
    public static void free(MemorySegment memory) {
        try {
            FREE.invokeExact(memory);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code strerror(3)}: the C library's text for an error number. */
    public static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(Integer.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Turns a C "-1 and errno" result into {@code -errno}. */
    private static long result(long value, MemorySegment callState) {
        return value == -1 ? -(int) ERRNO.get(callState, 0L) : value;
    }

    private static MethodHandle capturing(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = CAPTURE_ERRNO;
        System.arraycopy(options, 0, all, 1, options.length);
        return LINKER.downcallHandle(symbol(name), descriptor, all);
    }

    private static MethodHandle plain(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor);
    }

    private static MemorySegment symbol(String name) {
        return LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }

    /** A downcall throws only what the JVM itself throws (out of memory, stack overflow). */
    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof Error error) {
            throw error;
        }
        if (t instanceof RuntimeException runtime) {
            return runtime;
        }
        return new IllegalStateException("downcall failed unexpectedly", t);
    }
}
