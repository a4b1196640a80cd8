package dev.ringpark;

import dev.ringpark.poller.Errno;
import dev.ringpark.poller.linux.LibC;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Installs a seccomp filter on every thread of this process, as a container runtime's profile does:
 * the named system calls fail with {@code EPERM} (Docker's answer to {@code io_uring_setup}), or kill
 * the process (what some sandboxes do with calls they do not know); everything else is allowed.
 *
 * <p>The program: load the architecture, allow everything if it is not this one; load the call
 * number; for each denied call, jump to the verdict on a match; else allow.
 */
final class SeccompFilter {
    /** A system call the filter can deny, by its number on this machine. */
    enum Call {
        IO_URING_SETUP(425, 425), IO_SETUP(206, 0);

        private final long x86Number;
        private final long armNumber;

        Call(long x86Number, long armNumber) {
            this.x86Number = x86Number;
            this.armNumber = armNumber;
        }

        long number() {
            return Machine.CURRENT == Machine.X86_64 ? x86Number : armNumber;
        }
    }

    /** What a denied call gets. */
    enum Verdict {
        EPERM(0x0005_0000 | Errno.EPERM), KILL_PROCESS(0x8000_0000);

        final int action;

        Verdict(int action) {
            this.action = action;
        }
    }

    private enum Machine {
        X86_64(0xC000_003E, 317, 157), AARCH64(0xC000_00B7, 277, 167);

        static final Machine CURRENT = System.getProperty("os.arch").toLowerCase(Locale.ROOT).equals("aarch64")
                ? AARCH64 : X86_64;

        final int auditArch;
        final long seccompCall;
        final long prctlCall;

        Machine(int auditArch, long seccompCall, long prctlCall) {
            this.auditArch = auditArch;
            this.seccompCall = seccompCall;
            this.prctlCall = prctlCall;
        }
    }

    private static final short LOAD_WORD_ABSOLUTE = 0x20;
    private static final short JUMP_IF_EQUAL = 0x15;
    private static final short RETURN = 0x06;
    private static final int SECCOMP_RET_ALLOW = 0x7fff_0000;
    private static final int ARCH_OFFSET = 4;
    private static final int NUMBER_OFFSET = 0;
    private static final long PR_SET_NO_NEW_PRIVS = 38;
    private static final long SECCOMP_SET_MODE_FILTER = 1;
    private static final long SECCOMP_FILTER_FLAG_TSYNC = 1;
    private static final long INSTRUCTION_BYTES = 8;

    private SeccompFilter() {}

    /** Installs the filter on all threads; throws if the kernel refuses it. */
    static void install(List<Call> denied, Verdict verdict) {
        int count = 3 + denied.size() + 2;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment program = arena.allocate(count * INSTRUCTION_BYTES, 8);
            int at = 0;
            int allow = 3 + denied.size();
            put(program, at++, LOAD_WORD_ABSOLUTE, 0, 0, ARCH_OFFSET);
            put(program, at++, JUMP_IF_EQUAL, 0, allow - at, Machine.CURRENT.auditArch);
            put(program, at++, LOAD_WORD_ABSOLUTE, 0, 0, NUMBER_OFFSET);
            for (Call call : denied) {
                put(program, at, JUMP_IF_EQUAL, allow + 1 - (at + 1), 0, (int) call.number());
                at++;
            }
            put(program, at++, RETURN, 0, 0, SECCOMP_RET_ALLOW);
            put(program, at, RETURN, 0, 0, verdict.action);

            MemorySegment fprog = arena.allocate(16, 8); // struct sock_fprog { u16 len; filter* }
            fprog.set(JAVA_SHORT, 0, (short) count);
            fprog.set(ADDRESS, 8, program);
            MemorySegment callState = LibC.allocateCallState(arena);
            // prctl insists that its unused arguments are zero: the six-argument form passes them.
            check(LibC.syscall(callState, Machine.CURRENT.prctlCall, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0), "prctl");
            check(LibC.syscall(callState, Machine.CURRENT.seccompCall, SECCOMP_SET_MODE_FILTER,
                    SECCOMP_FILTER_FLAG_TSYNC, fprog.address()), "seccomp");
        }
    }

    /** {@code struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }}. */
    private static void put(MemorySegment program, int index, short code, int jumpIfTrue, int jumpIfFalse, int k) {
        long at = index * INSTRUCTION_BYTES;
        program.set(JAVA_SHORT, at, code);
        program.set(JAVA_BYTE, at + 2, (byte) jumpIfTrue);
        program.set(JAVA_BYTE, at + 3, (byte) jumpIfFalse);
        program.set(JAVA_INT, at + 4, k);
    }

    private static void check(long rc, String what) {
        if (rc < 0) {
            throw new IllegalStateException(what + " failed: " + Errno.describe((int) -rc));
        }
    }
}
