package dev.ringpark;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.ringpark.poller.linux.LibC;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Child JVM of {@link DriverFallbackTest}: first makes this process look like a restricted one, then
 * loads Ringpark, does a buffered and an O_DIRECT round trip with {@code force}, and prints
 * {@code DRIVER <name>}, one {@code SKIPPED <reason>} line per skipped driver, and
 * {@code ROUNDTRIP_OK}. Any failure escapes and exits non-zero.
 *
 * <p>Arguments: a directory for the file; the calls to deny, comma-separated
 * ({@code io_uring_setup}, {@code io_setup}) or {@code none}; the verdict ({@code eperm} or
 * {@code kill_process}); optionally {@code exhaust-aio}, which first takes every AIO event that
 * {@code fs.aio-max-nr} allows, as other processes on a busy machine may have.
 */
public final class DriverFallbackProbe {
    private DriverFallbackProbe() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 3 && args[3].equals("exhaust-aio")) {
            System.out.println("AIO_EVENTS_TAKEN " + exhaustAio());
        }
        if (!args[1].equals("none")) {
            List<SeccompFilter.Call> denied = Arrays.stream(args[1].split(","))
                    .map(name -> SeccompFilter.Call.valueOf(name.toUpperCase(Locale.ROOT))).toList();
            SeccompFilter.install(denied, SeccompFilter.Verdict.valueOf(args[2].toUpperCase(Locale.ROOT)));
        }
        Path directory = Path.of(args[0]);
        roundTrip(directory.resolve("buffered"));
        roundTrip(directory.resolve("direct"), DifferentialTest.DIRECT);
        DriverReport report = Ringpark.driver();
        System.out.println("DRIVER " + report.driver());
        System.out.println("SETUP " + report.setup());
        report.skipped().forEach(reason -> System.out.println("SKIPPED " + reason));
        System.out.println("ROUNDTRIP_OK");
    }

    /** Writes 8 KiB at offset 4096, forces it, reads it back through a second channel. */
    private static void roundTrip(Path file, OpenOption... extra) throws Exception {
        byte[] data = Bytes.pattern(11, 8192);
        VirtualThreads.call(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = arena.allocate(data.length, 4096);
                MemorySegment.copy(data, 0, buffer, JAVA_BYTE, 0, data.length);
                try (RingFileChannel channel = RingFileChannel.open(file, options(extra, CREATE, WRITE))) {
                    check(channel.write(buffer.asByteBuffer(), 4096) == data.length, "short write");
                    channel.force(true);
                }
                MemorySegment back = arena.allocate(data.length, 4096);
                try (RingFileChannel channel = RingFileChannel.open(file, options(extra, READ))) {
                    ByteBuffer into = back.asByteBuffer();
                    check(channel.read(into, 4096) == data.length, "short read");
                    check(channel.size() == 4096 + data.length, "wrong size " + channel.size());
                }
                check(Arrays.equals(data, back.toArray(JAVA_BYTE)), "wrong data");
            }
            return null;
        });
    }

    private static OpenOption[] options(OpenOption[] extra, OpenOption... base) {
        OpenOption[] all = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    /** Sets up AIO contexts, largest first, until not even one event is left: the events taken. */
    private static long exhaustAio() {
        long taken = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = LibC.allocateCallState(arena);
            MemorySegment context = arena.allocate(JAVA_LONG);
            for (int events = 65536; events >= 1; ) {
                context.set(JAVA_LONG, 0, 0L);
                if (LibC.syscall(callState, SeccompFilter.Call.IO_SETUP.number(), events, context.address(), 0) == 0) {
                    taken += events; // left set up until the process exits
                } else {
                    events /= 2;
                }
            }
        }
        return taken;
    }
}
