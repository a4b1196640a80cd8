package dev.ringpark.poller.uring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which of the opcodes the driver uses this kernel's io_uring supports, asked once with
 * {@code IORING_REGISTER_PROBE} (Linux 5.6). A kernel that cannot answer is taken to support them
 * all, as before the probe existed: an opcode it lacks then fails its calls with {@code EINVAL}.
 */
final class RingOpcodes {
    /** Every opcode the driver submits, with its name for the report. */
    private static final Map<Byte, String> USED = Map.ofEntries(
            Map.entry(SubmissionQueueEntry.IORING_OP_NOP, "NOP"),
            Map.entry(SubmissionQueueEntry.IORING_OP_READV, "READV"),
            Map.entry(SubmissionQueueEntry.IORING_OP_WRITEV, "WRITEV"),
            Map.entry(SubmissionQueueEntry.IORING_OP_FSYNC, "FSYNC"),
            Map.entry(SubmissionQueueEntry.IORING_OP_ASYNC_CANCEL, "ASYNC_CANCEL"),
            Map.entry(SubmissionQueueEntry.IORING_OP_OPENAT, "OPENAT"),
            Map.entry(SubmissionQueueEntry.IORING_OP_CLOSE, "CLOSE"),
            Map.entry(SubmissionQueueEntry.IORING_OP_STATX, "STATX"),
            Map.entry(SubmissionQueueEntry.IORING_OP_READ, "READ"),
            Map.entry(SubmissionQueueEntry.IORING_OP_WRITE, "WRITE"),
            Map.entry(SubmissionQueueEntry.IORING_OP_FADVISE, "FADVISE"),
            Map.entry(SubmissionQueueEntry.IORING_OP_UNLINKAT, "UNLINKAT"),
            Map.entry(SubmissionQueueEntry.IORING_OP_SPLICE, "SPLICE"),
            Map.entry(SubmissionQueueEntry.IORING_OP_POLL_ADD, "POLL_ADD"),
            Map.entry(SubmissionQueueEntry.IORING_OP_FTRUNCATE, "FTRUNCATE"),
            // Without it the callers time their operations out themselves, through ASYNC_CANCEL.
            Map.entry(SubmissionQueueEntry.IORING_OP_LINK_TIMEOUT, "LINK_TIMEOUT"));
    /** Opcodes the driver cannot do without: the wake-up is a READ, and cancelling needs ASYNC_CANCEL. */
    private static final List<Byte> REQUIRED = List.of(SubmissionQueueEntry.IORING_OP_READ,
            SubmissionQueueEntry.IORING_OP_ASYNC_CANCEL);

    /** Indexed by opcode. */
    private final boolean[] supported;

    private RingOpcodes(boolean[] supported) {
        this.supported = supported;
    }

    static RingOpcodes probe(IoUring ring) {
        boolean[] supported = ring.probeOpcodes();
        if (supported == null) {
            supported = new boolean[IoUringProbe.OPS];
            for (byte opcode : USED.keySet()) {
                supported[Byte.toUnsignedInt(opcode)] = true;
            }
        }
        return new RingOpcodes(supported);
    }

    /** For tests: a kernel that supports every used opcode but those {@code missing}. */
    static RingOpcodes allBut(byte... missing) {
        boolean[] supported = new boolean[IoUringProbe.OPS];
        for (byte opcode : USED.keySet()) {
            supported[Byte.toUnsignedInt(opcode)] = true;
        }
        for (byte opcode : missing) {
            supported[Byte.toUnsignedInt(opcode)] = false;
        }
        return new RingOpcodes(supported);
    }

    boolean supports(byte opcode) {
        return supported[Byte.toUnsignedInt(opcode)];
    }

    /** The names of the used opcodes this kernel lacks, sorted. */
    List<String> lacking() {
        List<String> names = new ArrayList<>();
        USED.forEach((opcode, name) -> {
            if (!supports(opcode)) {
                names.add(name);
            }
        });
        names.sort(null);
        return names;
    }

    /** The name of a required opcode this kernel lacks, or {@code null}. */
    String lackingRequired() {
        for (byte opcode : REQUIRED) {
            if (!supports(opcode)) {
                return USED.get(opcode);
            }
        }
        return null;
    }
}
