package dev.ringpark;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringpark.SideBySide.Pair;
import dev.ringpark.SideBySide.Scenario;
import dev.ringpark.SideBySide.Setup;
import dev.ringpark.SideBySide.Side;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad arguments and bad states: each case runs on the JDK's FileChannel alongside RingFileChannel
 * (on the test's platform thread), must throw the exception the JDK throws, and must leave the
 * files as they were.
 */
class BadInputTest {

    static final byte[] DATA = Bytes.pattern(2, 1000);
    /** The file under test, and a peer file for transfers. */
    static final Setup DATA_FILE = dir -> {
        Files.write(dir.resolve("data"), DATA);
        Files.write(dir.resolve("peer"), Bytes.pattern(3, 100));
    };

    @TempDir
    Path tmp;

    /** One call on a channel; {@code side} gives peers and the MemorySegment forms. */
    @FunctionalInterface
    interface Call {
        Object invoke(Side side, FileChannel ch) throws Exception;
    }

    static Named<Call> call(String name, Call call) {
        return Named.of(name, call);
    }

    /**
     * Runs the scenario on both sides; asserts the JDK throws {@code expected} (so the case tests what
     * it says), RingFileChannel the same (type and getFile()), and that no file changed.
     */
    Pair expect(Class<? extends Throwable> expected, Setup setup, Scenario scenario) throws Exception {
        Pair outcome = SideBySide.compareOnThisThread(tmp, setup, scenario);
        assertEquals(expected, outcome.jdk().thrownType(), "the JDK's exception (is the case right?)");
        assertEquals(outcome.ring().filesBefore(), outcome.ring().filesAfter(), "RingFileChannel changed a file");
        return outcome;
    }

    // ---------------------------------------------------------------------------------------------
    // Closed channels

    /** Every FileChannel method (and the two MemorySegment ones) with valid arguments. */
    static Stream<Named<Call>> everyMethod() {
        return Stream.of(
                call("read(ByteBuffer)", (s, ch) -> ch.read(ByteBuffer.allocate(10))),
                call("read(ByteBuffer, long)", (s, ch) -> ch.read(ByteBuffer.allocate(10), 0)),
                call("read(ByteBuffer[])", (s, ch) -> ch.read(new ByteBuffer[] {ByteBuffer.allocate(10)})),
                call("read(ByteBuffer[], int, int)", (s, ch) -> ch.read(new ByteBuffer[] {ByteBuffer.allocate(10)}, 0, 1)),
                call("read(MemorySegment, long)", (s, ch) -> s.read(ch, s.arena.allocate(10), 0)),
                call("write(ByteBuffer)", (s, ch) -> ch.write(ByteBuffer.allocate(10))),
                call("write(ByteBuffer, long)", (s, ch) -> ch.write(ByteBuffer.allocate(10), 0)),
                call("write(ByteBuffer[])", (s, ch) -> ch.write(new ByteBuffer[] {ByteBuffer.allocate(10)})),
                call("write(ByteBuffer[], int, int)", (s, ch) -> ch.write(new ByteBuffer[] {ByteBuffer.allocate(10)}, 0, 1)),
                call("write(MemorySegment, long)", (s, ch) -> s.write(ch, s.arena.allocate(10), 0)),
                call("position()", (s, ch) -> ch.position()),
                call("position(long)", (s, ch) -> ch.position(5)),
                call("size()", (s, ch) -> ch.size()),
                call("truncate(long)", (s, ch) -> ch.truncate(5)),
                call("force(true)", (s, ch) -> {
                    ch.force(true);
                    return null;
                }),
                call("force(false)", (s, ch) -> {
                    ch.force(false);
                    return null;
                }),
                call("transferTo", (s, ch) -> ch.transferTo(0, 10, s.jdkPeer("peer"))),
                call("transferFrom", (s, ch) -> ch.transferFrom(s.jdkPeer("peer"), 0, 10)),
                call("map(READ_ONLY)", (s, ch) -> ch.map(MapMode.READ_ONLY, 0, 10).get(0)),
                call("map(READ_WRITE)", (s, ch) -> ch.map(MapMode.READ_WRITE, 0, 10).get(0)),
                call("map(READ_ONLY, arena)", (s, ch) -> ch.map(MapMode.READ_ONLY, 0, 10, s.arena).byteSize()),
                call("lock()", (s, ch) -> ch.lock().isValid()),
                call("lock(long, long, boolean)", (s, ch) -> ch.lock(0, 10, true).isValid()),
                call("tryLock()", (s, ch) -> ch.tryLock().isValid()),
                call("tryLock(long, long, boolean)", (s, ch) -> ch.tryLock(0, 10, false).isValid()));
    }

    @ParameterizedTest(name = "{0} on a closed channel throws ClosedChannelException")
    @MethodSource("everyMethod")
    void everyMethodOfAClosedChannelThrowsClosedChannelException(Call call) throws Exception {
        Pair outcome = expect(ClosedChannelException.class, DATA_FILE, side -> {
            FileChannel ch = side.open("data", READ, WRITE);
            ch.close();
            side.log("isOpen", ch.isOpen());
            call.invoke(side, ch);
        });
        assertTrue(outcome.ring().log().contains("isOpen=false"));
    }

    @Test
    void closingTwiceIsHarmlessAndIsOpenTurnsFalse() throws Exception {
        Pair outcome = SideBySide.compareOnThisThread(tmp, DATA_FILE, side -> {
            FileChannel ch = side.open("data", READ);
            side.log("isOpen before", ch.isOpen());
            ch.close();
            ch.close();
            side.log("isOpen after", ch.isOpen());
        });
        assertEquals(List.of("isOpen before=true", "isOpen after=false"), outcome.ring().log());
    }

    /**
     * A call made by a thread whose interrupt status is set: the JDK closes the channel, throws
     * ClosedByInterruptException and leaves the status set. Run in a virtual thread, the way it is meant
     * to be used.
     */
    @ParameterizedTest(name = "{0} by an interrupted thread throws ClosedByInterruptException and closes the channel")
    @MethodSource("everyMethod")
    void everyMethodCalledByAnInterruptedThreadBehavesLikeTheJdk(Call call) throws Exception {
        Pair outcome = SideBySide.compare(tmp, DATA_FILE, side -> {
            FileChannel ch = side.open("data", READ, WRITE);
            Thread.currentThread().interrupt();
            try {
                call.invoke(side, ch);
            } finally {
                side.log("interrupt status kept", Thread.interrupted());
                side.log("isOpen", ch.isOpen());
            }
        });
        assertEquals(outcome.ring().filesBefore(), outcome.ring().filesAfter(), "RingFileChannel changed a file");
    }

    // ---------------------------------------------------------------------------------------------
    // Arguments out of range

    static Stream<Named<Call>> negativePositions() {
        return Stream.of(
                call("read(ByteBuffer, -1)", (s, ch) -> ch.read(ByteBuffer.allocate(10), -1)),
                call("read(MemorySegment, -1)", (s, ch) -> s.read(ch, s.arena.allocate(10), -1)),
                call("write(ByteBuffer, -1)", (s, ch) -> ch.write(ByteBuffer.allocate(10), -1)),
                call("write(MemorySegment, -1)", (s, ch) -> s.write(ch, s.arena.allocate(10), -1)),
                call("position(-1)", (s, ch) -> ch.position(-1)),
                call("position(Long.MIN_VALUE)", (s, ch) -> ch.position(Long.MIN_VALUE)),
                call("truncate(-1)", (s, ch) -> ch.truncate(-1)),
                call("transferTo(-1, 10, target)", (s, ch) -> ch.transferTo(-1, 10, s.jdkPeer("peer"))),
                call("transferTo(0, -1, target)", (s, ch) -> ch.transferTo(0, -1, s.jdkPeer("peer"))),
                call("transferFrom(source, -1, 10)", (s, ch) -> ch.transferFrom(s.jdkPeer("peer"), -1, 10)),
                call("transferFrom(source, 0, -1)", (s, ch) -> ch.transferFrom(s.jdkPeer("peer"), 0, -1)),
                call("map(READ_ONLY, -1, 10)", (s, ch) -> ch.map(MapMode.READ_ONLY, -1, 10)),
                call("map(READ_ONLY, 0, -1)", (s, ch) -> ch.map(MapMode.READ_ONLY, 0, -1)),
                call("map(READ_ONLY, 0, 2^31)", (s, ch) -> ch.map(MapMode.READ_ONLY, 0, 1L << 31)),
                call("lock(-1, 10, false)", (s, ch) -> ch.lock(-1, 10, false)),
                call("lock(0, -1, false)", (s, ch) -> ch.lock(0, -1, false)),
                call("tryLock(-1, 10, true)", (s, ch) -> ch.tryLock(-1, 10, true)),
                call("tryLock(Long.MAX_VALUE, 10, true)", (s, ch) -> ch.tryLock(Long.MAX_VALUE, 10, true)));
    }

    @ParameterizedTest(name = "{0} throws IllegalArgumentException")
    @MethodSource("negativePositions")
    void negativePositionsAndSizesAreRejected(Call call) throws Exception {
        expect(IllegalArgumentException.class, DATA_FILE, side -> call.invoke(side, side.open("data", READ, WRITE)));
    }

    static Stream<Named<Call>> readOnlyDestinations() {
        return Stream.of(
                call("read(read-only ByteBuffer)", (s, ch) -> ch.read(ByteBuffer.allocate(10).asReadOnlyBuffer())),
                call("read(read-only direct ByteBuffer, 0)",
                        (s, ch) -> ch.read(ByteBuffer.allocateDirect(10).asReadOnlyBuffer(), 0)),
                call("read([read-only ByteBuffer])",
                        (s, ch) -> ch.read(new ByteBuffer[] {ByteBuffer.allocate(10), ByteBuffer.allocate(10).asReadOnlyBuffer()})),
                call("read(read-only MemorySegment, 0)", (s, ch) -> s.read(ch, s.arena.allocate(10).asReadOnly(), 0)),
                call("read(read-only heap MemorySegment, 0)",
                        (s, ch) -> s.read(ch, MemorySegment.ofArray(new byte[10]).asReadOnly(), 0)));
    }

    @ParameterizedTest(name = "{0} throws IllegalArgumentException")
    @MethodSource("readOnlyDestinations")
    void readingIntoReadOnlyMemoryIsRejected(Call call) throws Exception {
        expect(IllegalArgumentException.class, DATA_FILE, side -> call.invoke(side, side.open("data", READ)));
    }

    static Stream<Named<Call>> badSubRanges() {
        ByteBuffer[] three = new ByteBuffer[3];
        List<Named<Call>> calls = new ArrayList<>();
        int[][] ranges = {{-1, 1}, {0, -1}, {0, 4}, {2, 2}, {4, 0}, {Integer.MAX_VALUE, 1}, {1, Integer.MAX_VALUE}};
        for (int[] r : ranges) {
            int offset = r[0];
            int length = r[1];
            calls.add(call("read(3 buffers, " + offset + ", " + length + ")", (s, ch) -> ch.read(filled(three), offset, length)));
            calls.add(call("write(3 buffers, " + offset + ", " + length + ")", (s, ch) -> ch.write(filled(three), offset, length)));
        }
        return calls.stream();
    }

    static ByteBuffer[] filled(ByteBuffer[] buffers) {
        ByteBuffer[] copy = buffers.clone();
        Arrays.setAll(copy, i -> ByteBuffer.allocate(8));
        return copy;
    }

    @ParameterizedTest(name = "{0} throws IndexOutOfBoundsException")
    @MethodSource("badSubRanges")
    void invalidOffsetsAndLengthsOfBufferArraysAreRejected(Call call) throws Exception {
        expect(IndexOutOfBoundsException.class, DATA_FILE, side -> call.invoke(side, side.open("data", READ, WRITE)));
    }

    // ---------------------------------------------------------------------------------------------
    // Wrong access mode

    static Stream<Named<Call>> reads() {
        return Stream.of(
                call("read(ByteBuffer)", (s, ch) -> ch.read(ByteBuffer.allocate(10))),
                call("read(ByteBuffer, long)", (s, ch) -> ch.read(ByteBuffer.allocate(10), 0)),
                call("read(ByteBuffer[])", (s, ch) -> ch.read(new ByteBuffer[] {ByteBuffer.allocate(10)})),
                call("read(ByteBuffer[], int, int)", (s, ch) -> ch.read(new ByteBuffer[] {ByteBuffer.allocate(10)}, 0, 1)),
                call("read(MemorySegment, long)", (s, ch) -> s.read(ch, s.arena.allocate(10), 0)),
                call("read(empty ByteBuffer)", (s, ch) -> ch.read(ByteBuffer.allocate(0))),
                call("transferTo", (s, ch) -> ch.transferTo(0, 10, s.jdkPeer("peer"))),
                call("map(READ_ONLY)", (s, ch) -> ch.map(MapMode.READ_ONLY, 0, 10)),
                call("lock(shared)", (s, ch) -> ch.lock(0, 10, true)),
                call("tryLock(shared)", (s, ch) -> ch.tryLock(0, 10, true)));
    }

    static Stream<Arguments> readsOfWriteOnlyChannels() {
        return reads().flatMap(call -> Stream.of(List.of(WRITE), List.of(WRITE, APPEND), List.of(APPEND))
                .map(options -> Arguments.of(call, options)));
    }

    @ParameterizedTest(name = "{0} on a channel opened with {1} throws NonReadableChannelException")
    @MethodSource("readsOfWriteOnlyChannels")
    void readingAWriteOnlyChannelThrowsNonReadableChannelException(Call call, List<OpenOption> options)
            throws Exception {
        expect(NonReadableChannelException.class, DATA_FILE,
                side -> call.invoke(side, side.open("data", Set.copyOf(options))));
    }

    static Stream<Named<Call>> writes() {
        return Stream.of(
                call("write(ByteBuffer)", (s, ch) -> ch.write(ByteBuffer.allocate(10))),
                call("write(ByteBuffer, long)", (s, ch) -> ch.write(ByteBuffer.allocate(10), 0)),
                call("write(ByteBuffer[])", (s, ch) -> ch.write(new ByteBuffer[] {ByteBuffer.allocate(10)})),
                call("write(ByteBuffer[], int, int)", (s, ch) -> ch.write(new ByteBuffer[] {ByteBuffer.allocate(10)}, 0, 1)),
                call("write(MemorySegment, long)", (s, ch) -> s.write(ch, s.arena.allocate(10), 0)),
                call("write(empty ByteBuffer)", (s, ch) -> ch.write(ByteBuffer.allocate(0))),
                call("truncate", (s, ch) -> ch.truncate(5)),
                call("truncate to more than the size", (s, ch) -> ch.truncate(1_000_000)),
                call("transferFrom", (s, ch) -> ch.transferFrom(s.jdkPeer("peer"), 0, 10)),
                call("map(READ_WRITE)", (s, ch) -> ch.map(MapMode.READ_WRITE, 0, 10)),
                call("map(PRIVATE)", (s, ch) -> ch.map(MapMode.PRIVATE, 0, 10).get(0)),
                call("lock(exclusive)", (s, ch) -> ch.lock(0, 10, false)),
                call("tryLock()", (s, ch) -> ch.tryLock()));
    }

    @ParameterizedTest(name = "{0} on a read-only channel throws NonWritableChannelException")
    @MethodSource("writes")
    void writingAReadOnlyChannelThrowsNonWritableChannelException(Call call) throws Exception {
        expect(NonWritableChannelException.class, DATA_FILE, side -> call.invoke(side, side.open("data", READ)));
    }

    // ---------------------------------------------------------------------------------------------
    // Null arguments

    static Stream<Named<Call>> nullArguments() {
        return Stream.of(
                call("read((ByteBuffer) null)", (s, ch) -> ch.read((ByteBuffer) null)),
                call("read(null, 0)", (s, ch) -> ch.read((ByteBuffer) null, 0)),
                call("read((ByteBuffer[]) null)", (s, ch) -> ch.read((ByteBuffer[]) null)),
                call("read((ByteBuffer[]) null, 0, 0)", (s, ch) -> ch.read((ByteBuffer[]) null, 0, 0)),
                call("read([null])", (s, ch) -> ch.read(new ByteBuffer[] {null})),
                call("read([buffer, null])", (s, ch) -> ch.read(new ByteBuffer[] {ByteBuffer.allocate(4), null})),
                call("read((MemorySegment) null, 0)", (s, ch) -> s.read(ch, null, 0)),
                call("write((ByteBuffer) null)", (s, ch) -> ch.write((ByteBuffer) null)),
                call("write(null, 0)", (s, ch) -> ch.write((ByteBuffer) null, 0)),
                call("write((ByteBuffer[]) null)", (s, ch) -> ch.write((ByteBuffer[]) null)),
                call("write([null])", (s, ch) -> ch.write(new ByteBuffer[] {null})),
                call("write([buffer, null], 0, 2)", (s, ch) -> ch.write(new ByteBuffer[] {ByteBuffer.allocate(4), null}, 0, 2)),
                call("write((MemorySegment) null, 0)", (s, ch) -> s.write(ch, null, 0)),
                call("transferTo(0, 10, null)", (s, ch) -> ch.transferTo(0, 10, null)),
                call("transferFrom(null, 0, 10)", (s, ch) -> ch.transferFrom(null, 0, 10)),
                call("map(null, 0, 10)", (s, ch) -> ch.map(null, 0, 10)),
                call("map(READ_ONLY, 0, 10, null)", (s, ch) -> ch.map(MapMode.READ_ONLY, 0, 10, null)));
    }

    @ParameterizedTest(name = "{0} throws NullPointerException")
    @MethodSource("nullArguments")
    void nullArgumentsThrowNullPointerException(Call call) throws Exception {
        expect(NullPointerException.class, DATA_FILE, side -> call.invoke(side, side.open("data", READ, WRITE)));
    }

    static Stream<Named<Scenario>> nullOpenArguments() {
        return Stream.of(
                Named.of("open(null, READ)", s -> s.impl.openWithArray(null, READ)),
                Named.of("open(null, Set.of(READ))", s -> s.impl.open(null, Set.of(READ))),
                Named.of("open(path, (OpenOption[]) null)", s -> s.impl.openWithArray(s.path("data"), (OpenOption[]) null)),
                Named.of("open(path, READ, null)", s -> s.impl.openWithArray(s.path("data"), READ, null)),
                Named.of("open(path, READ, null, READ)", s -> s.impl.openWithArray(s.path("data"), READ, null, READ)),
                Named.of("open(missing, WRITE, null, WRITE)",
                        s -> s.impl.openWithArray(s.path("missing"), WRITE, null, WRITE)),
                Named.of("open(path, (Set) null)", s -> s.impl.open(s.path("data"), null)),
                Named.of("open(path, {READ, null})", s -> s.impl.open(s.path("data"), setWithNull())),
                Named.of("open(path, options, (FileAttribute[]) null)",
                        s -> s.impl.open(s.path("new"), Set.of(WRITE, CREATE), (FileAttribute<?>[]) null)),
                Named.of("open(path, options, (FileAttribute) null)",
                        s -> s.impl.open(s.path("new"), Set.of(WRITE, CREATE), (FileAttribute<?>) null)));
    }

    static Set<OpenOption> setWithNull() {
        Set<OpenOption> options = new HashSet<>();
        options.add(READ);
        options.add(null);
        return options;
    }

    @ParameterizedTest(name = "{0} throws NullPointerException")
    @MethodSource("nullOpenArguments")
    void nullArgumentsToOpenThrowNullPointerException(Scenario scenario) throws Exception {
        expect(NullPointerException.class, DATA_FILE, scenario);
    }

    // ---------------------------------------------------------------------------------------------
    // Checks made in what order: bad states and bad arguments together

    enum Mode {
        READ_WRITE(READ, WRITE), READ_ONLY(READ), WRITE_ONLY(WRITE);

        final Set<OpenOption> options;

        Mode(OpenOption... options) {
            this.options = Set.of(options);
        }
    }

    static Stream<Named<Call>> badArgumentsOfOneKindOrAnother() {
        return Stream.of(
                call("read(null)", (s, ch) -> ch.read((ByteBuffer) null)),
                call("read(null, -1)", (s, ch) -> ch.read((ByteBuffer) null, -1)),
                call("read(read-only, -1)", (s, ch) -> ch.read(ByteBuffer.allocate(4).asReadOnlyBuffer(), -1)),
                call("read(read-only)", (s, ch) -> ch.read(ByteBuffer.allocate(4).asReadOnlyBuffer())),
                call("read(read-only segment, -1)", (s, ch) -> s.read(ch, s.arena.allocate(4).asReadOnly(), -1)),
                call("read(buffers, -1, 1)", (s, ch) -> ch.read(new ByteBuffer[] {ByteBuffer.allocate(4)}, -1, 1)),
                call("read([read-only], 0, 1)", (s, ch) -> ch.read(new ByteBuffer[] {ByteBuffer.allocate(4).asReadOnlyBuffer()}, 0, 1)),
                call("write(null, -1)", (s, ch) -> ch.write((ByteBuffer) null, -1)),
                call("write(buffer, -1)", (s, ch) -> ch.write(ByteBuffer.allocate(4), -1)),
                call("write(segment, -1)", (s, ch) -> s.write(ch, s.arena.allocate(4), -1)),
                call("write(buffers, 0, 2)", (s, ch) -> ch.write(new ByteBuffer[] {ByteBuffer.allocate(4)}, 0, 2)),
                call("truncate(-1)", (s, ch) -> ch.truncate(-1)),
                call("transferTo(-1, 1, null)", (s, ch) -> ch.transferTo(-1, 1, null)),
                call("transferFrom(null, -1, 1)", (s, ch) -> ch.transferFrom(null, -1, 1)),
                call("position(-1)", (s, ch) -> ch.position(-1)));
    }

    static Stream<Arguments> badArgumentsInEveryState() {
        return badArgumentsOfOneKindOrAnother().flatMap(call -> Arrays.stream(Mode.values()).flatMap(
                mode -> Stream.of(Arguments.of(call, mode, false), Arguments.of(call, mode, true))));
    }

    @ParameterizedTest(name = "{0} on a {1} channel (closed: {2}) throws what the JDK throws")
    @MethodSource("badArgumentsInEveryState")
    void checksAreMadeInTheJdksOrder(Call call, Mode mode, boolean closed) throws Exception {
        Pair outcome = SideBySide.compareOnThisThread(tmp, DATA_FILE, side -> {
            FileChannel ch = side.open("data", mode.options);
            if (closed) {
                ch.close();
            }
            call.invoke(side, ch);
        });
        assertNotNull(outcome.jdk().thrownType(), "every case is bad somehow");
        assertEquals(outcome.ring().filesBefore(), outcome.ring().filesAfter(), "RingFileChannel changed a file");
    }

    // ---------------------------------------------------------------------------------------------
    // Transfers with a peer of its own kind: the peer's state is checked too, in the JDK's order

    /** {@code rw.transferFrom(writeOnly, 0, 0)}: the JDK reports the unreadable source, whatever else is wrong. */
    static Stream<Arguments> transfersFromAnUnreadableSource() {
        List<Arguments> cases = new ArrayList<>();
        for (Mode target : Mode.values()) {
            for (long[] range : new long[][] {{0, 0}, {0, 10}, {-1, 0}, {0, -1}, {-1, -1}}) {
                cases.add(Arguments.of(target, range[0], range[1]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "a {0} channel's transferFrom(write-only source, {1}, {2}) throws NonReadableChannelException")
    @MethodSource("transfersFromAnUnreadableSource")
    void transferFromASourceThatCannotBeReadThrowsNonReadableChannelException(Mode target, long position, long count)
            throws Exception {
        expect(NonReadableChannelException.class, DATA_FILE, side -> {
            FileChannel ch = side.open("data", target.options);
            FileChannel writeOnly = side.open("peer", WRITE);
            ch.transferFrom(writeOnly, position, count);
        });
    }

    /** Both channels of a transfer in every mode, open or closed, with good and bad ranges. */
    static Stream<Arguments> transfersBetweenTwoOfItsOwnChannels() {
        List<Arguments> cases = new ArrayList<>();
        for (boolean to : new boolean[] {true, false}) {
            for (Mode mode : Mode.values()) {
                for (Mode peerMode : Mode.values()) {
                    for (int closed = 0; closed < 4; closed++) { // bit 0: the channel, bit 1: the peer
                        for (long[] range : new long[][] {{0, 0}, {0, 10}, {-1, 0}, {0, -1}}) {
                            cases.add(Arguments.of(to ? "transferTo" : "transferFrom", mode, (closed & 1) != 0, peerMode,
                                    (closed & 2) != 0, range[0], range[1]));
                        }
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} of a {1} channel (closed: {2}) with a {3} peer (closed: {4}), {5}, {6}")
    @MethodSource("transfersBetweenTwoOfItsOwnChannels")
    void transfersBetweenTwoOfItsOwnChannelsCheckBothInTheJdksOrder(String method, Mode mode, boolean closed,
                                                                    Mode peerMode, boolean peerClosed, long position,
                                                                    long count) throws Exception {
        Pair outcome = SideBySide.compareOnThisThread(tmp, DATA_FILE, side -> {
            FileChannel ch = side.open("data", mode.options);
            FileChannel peer = side.open("peer", peerMode.options);
            if (closed) {
                ch.close();
            }
            if (peerClosed) {
                peer.close();
            }
            side.log(method, method.equals("transferTo") ? ch.transferTo(position, count, peer)
                    : ch.transferFrom(peer, position, count));
        });
        if (mode == Mode.READ_ONLY && method.equals("transferFrom") || closed || peerClosed || position < 0 || count < 0) {
            assertNotNull(outcome.jdk().thrownType(), "a bad case (is the case right?)");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Opening what cannot be opened

    @ParameterizedTest(name = "a directory opened with {0} throws FileSystemException naming it")
    @MethodSource("writeModes")
    void aDirectoryOpenedForWritingIsRefused(Set<OpenOption> options) throws Exception {
        Pair outcome = expect(FileSystemException.class, dir -> Files.createDirectory(dir.resolve("dir")),
                side -> side.open("dir", options));
        assertTrue(outcome.ring().thrown().contains("file=$DIR/dir"), outcome.ring().thrown());
    }

    static Stream<Set<OpenOption>> writeModes() {
        return Stream.of(Set.of(WRITE), Set.of(READ, WRITE), Set.of(APPEND), Set.of(WRITE, CREATE));
    }

    @Test
    void aDirectoryOpenedForReadingOpensButCannotBeRead() throws Exception {
        expect(IOException.class, dir -> Files.createDirectory(dir.resolve("dir")), side -> {
            FileChannel ch = side.open("dir", READ);
            side.log("size", ch.size() >= 0);
            side.log("position", ch.position());
            ch.read(ByteBuffer.allocate(10));
        });
    }

    @ParameterizedTest(name = "a missing file opened with {0} throws NoSuchFileException naming it")
    @MethodSource("modesWithoutCreate")
    void aMissingFileWithoutCreateIsNotFound(Set<OpenOption> options) throws Exception {
        Pair outcome = expect(NoSuchFileException.class, DATA_FILE, side -> side.open("missing", options));
        assertTrue(outcome.ring().thrown().contains("file=$DIR/missing"), outcome.ring().thrown());
    }

    static Stream<Set<OpenOption>> modesWithoutCreate() {
        return Stream.of(Set.of(), Set.of(READ), Set.of(WRITE), Set.of(READ, WRITE), Set.of(APPEND), Set.of(READ, CREATE));
    }

    @ParameterizedTest(name = "CREATE_NEW with {0} on an existing file throws FileAlreadyExistsException")
    @MethodSource("writeModes")
    void createNewOnAnExistingFileThrowsFileAlreadyExists(Set<OpenOption> mode) throws Exception {
        Set<OpenOption> options = new HashSet<>(mode);
        options.add(CREATE_NEW);
        Pair outcome = expect(FileAlreadyExistsException.class, DATA_FILE, side -> side.open("data", options));
        assertTrue(outcome.ring().thrown().contains("file=$DIR/data"), outcome.ring().thrown());
    }

    /**
     * A file with mode 000 only refuses a process without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH
     * (root has both, whatever its user name). With them the test opens a read-only sysctl file for
     * writing instead: procfs checks its mode even for root.
     */
    @Test
    void aFileThatMayNotBeOpenedThrowsAccessDenied() throws Exception {
        boolean exempt = ThisMachine.hasCapability(ThisMachine.CAP_DAC_OVERRIDE)
                || ThisMachine.hasCapability(ThisMachine.CAP_DAC_READ_SEARCH);
        Path sysctl = Path.of("/proc/sys/kernel/osrelease");
        if (!exempt) {
            Pair outcome = expect(AccessDeniedException.class, dir -> {
                Files.write(dir.resolve("secret"), DATA);
                Files.setPosixFilePermissions(dir.resolve("secret"), PosixFilePermissions.fromString("---------"));
            }, side -> side.open("secret", READ));
            assertTrue(outcome.ring().thrown().contains("file=$DIR/secret"), outcome.ring().thrown());
            return;
        }
        try {
            FileChannel.open(sysctl, WRITE).close();
            Assumptions.abort("file modes do not bind this process (CAP_DAC_OVERRIDE), and " + sysctl
                    + " opens for writing: nothing here denies access");
        } catch (AccessDeniedException expected) {
            // the JDK is refused: compare
        } catch (IOException e) {
            Assumptions.abort("file modes do not bind this process (CAP_DAC_OVERRIDE), and " + sysctl
                    + " fails with " + e + ", not EACCES");
        }
        byte[] before = Files.readAllBytes(sysctl);
        Pair outcome = expect(AccessDeniedException.class, dir -> { }, side -> side.impl.open(sysctl, Set.of(WRITE)));
        assertTrue(outcome.ring().thrown().contains("file=" + sysctl), outcome.ring().thrown());
        assertArrayEquals(before, Files.readAllBytes(sysctl));
    }

    @Test
    void anUnknownOpenOptionIsUnsupported() throws Exception {
        OpenOption unknown = new OpenOption() {
            @Override
            public String toString() {
                return "UNKNOWN";
            }
        };
        expect(UnsupportedOperationException.class, DATA_FILE, side -> side.open("data", Set.of(READ, unknown)));
    }

    @Test
    void anUnknownFileAttributeIsUnsupported() throws Exception {
        FileAttribute<String> unknown = new FileAttribute<>() {
            @Override
            public String name() {
                return "user:unknown";
            }

            @Override
            public String value() {
                return "x";
            }
        };
        expect(UnsupportedOperationException.class, dir -> { },
                side -> side.open("new", Set.of(WRITE, CREATE_NEW), unknown));
    }

    @Test
    void aSegmentOfAClosedArenaIsRefused() throws Exception {
        expect(IllegalStateException.class, DATA_FILE, side -> {
            FileChannel ch = side.open("data", READ, WRITE);
            MemorySegment segment;
            ByteBuffer view;
            try (Arena arena = Arena.ofConfined()) {
                segment = arena.allocate(16);
                view = segment.asByteBuffer();
            }
            if (ch instanceof RingFileChannel ring) {
                ring.read(segment, 0);
            } else {
                ch.read(view, 0);
            }
        });
    }

    @Test
    void aSegmentOwnedByAnotherThreadIsRefused() throws Exception {
        expect(WrongThreadException.class, DATA_FILE, side -> {
            FileChannel ch = side.open("data", READ, WRITE);
            MemorySegment segment = VirtualThreads.call(() -> Arena.ofConfined().allocate(16));
            if (ch instanceof RingFileChannel ring) {
                ring.write(segment, 0);
            } else {
                ch.write(segment.asByteBuffer(), 0);
            }
        });
    }
}
