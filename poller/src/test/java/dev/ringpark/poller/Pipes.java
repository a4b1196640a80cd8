package dev.ringpark.poller;

import dev.ringpark.poller.linux.LibC;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/** Anonymous pipes for tests: a read end that blocks until written. */
@SuppressWarnings("restricted") // a test binding of pipe(2)
public final class Pipes {
    private static final MethodHandle PIPE = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("pipe").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS));

    private Pipes() {
    }

    /** {read end, write end}. */
    public static int[] open() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            if ((int) PIPE.invokeExact(fds) != 0) {
                throw new IllegalStateException("pipe failed");
            }
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static void close(int[] pipe) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = LibC.allocateCallState(arena);
            LibC.close(callState, pipe[0]);
            LibC.close(callState, pipe[1]);
        }
    }

    static void closeEnd(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            LibC.close(LibC.allocateCallState(arena), fd);
        }
    }
}
