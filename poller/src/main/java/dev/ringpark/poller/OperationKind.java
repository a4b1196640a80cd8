package dev.ringpark.poller;

import java.util.Locale;

/** The kinds of operation the statistics count apart, named as users read them. */
public enum OperationKind {
    READ, WRITE, COPY, AWAIT, SYNC, STAT, TRUNCATE, ADVISE, OPEN, UNLINK, CLOSE, NOP, CANCEL;

    /** The kind of {@code operation}; a {@link CancelAll} counts as the cancels it becomes. */
    static OperationKind of(Operation operation) {
        return switch (operation) {
            case Transfer transfer -> transfer.direction() == Transfer.Direction.READ ? READ : WRITE;
            case VectoredTransfer transfer -> transfer.direction() == Transfer.Direction.READ ? READ : WRITE;
            case KernelCopy copy -> COPY;
            case AwaitReady await -> AWAIT;
            case Sync sync -> SYNC;
            case Stat stat -> STAT;
            case Truncate truncate -> TRUNCATE;
            case Advise advise -> ADVISE;
            case Open open -> OPEN;
            case Unlink unlink -> UNLINK;
            case Close close -> CLOSE;
            case Nop nop -> NOP;
            case Cancel cancel -> CANCEL;
            case CancelAll cancelAll -> CANCEL;
        };
    }

    /** {@code "read"}: the name in statistics. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
