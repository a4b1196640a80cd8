package dev.ringpark;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_16;
import static java.nio.charset.StandardCharsets.UTF_16LE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardCopyOption.COPY_ATTRIBUTES;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.DELETE_ON_CLOSE;
import static java.nio.file.StandardOpenOption.DSYNC;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringpark.SideBySide.Impl;
import dev.ringpark.SideBySide.Scenario;
import dev.ringpark.SideBySide.Side;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.Charset;
import java.nio.file.CopyOption;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every helper of {@link RingFiles} against the {@code java.nio.file.Files} method of the same name, on
 * twin files: the same results, the same bytes left behind, the same exceptions (type, files and,
 * where the JDK's is deterministic, message).
 */
class RingFilesTest {
    static final byte[] DATA = Bytes.pattern(7, 100_000);
    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    static final Charset SHIFT_JIS = Charset.forName("Shift_JIS");

    @TempDir
    Path tmp;

    /** Whether this side is the JDK's: {@code Files}, else {@code RingFiles}. */
    static boolean jdk(Side side) {
        return side.impl == Impl.JDK;
    }

    /** Logs the step's result, or its exception's type, files and message (the side's directory as $DIR). */
    static void attempt(Side side, String label, Callable<?> step) {
        try {
            side.log(label, step.call());
        } catch (Exception | Error e) {
            side.log(label, "threw " + described(e, side.dir));
        }
    }

    static String described(Throwable e, Path dir) {
        String message = String.valueOf(e.getMessage()).replace(dir.toString(), "$DIR");
        String cause = e.getCause() == null ? "" : " cause " + described(e.getCause(), dir);
        return SideBySide.describe(e, dir) + " message=" + message + cause;
    }

    static void file(Side side, String name, byte[] bytes) throws IOException {
        Files.write(side.path(name), bytes);
    }

    static String text(byte[] bytes) {
        return Bytes.describe(bytes);
    }

    // ---------------------------------------------------------------- whole files

    static Stream<Named<Scenario>> wholeFiles() {
        return Stream.of(
                Named.of("readAllBytes of an empty file", side -> {
                    file(side, "f", new byte[0]);
                    attempt(side, "bytes", () -> text(jdk(side) ? Files.readAllBytes(side.path("f"))
                            : RingFiles.readAllBytes(side.path("f"))));
                }),
                Named.of("readAllBytes of 100 kB", side -> {
                    file(side, "f", DATA);
                    attempt(side, "bytes", () -> text(jdk(side) ? Files.readAllBytes(side.path("f"))
                            : RingFiles.readAllBytes(side.path("f"))));
                }),
                Named.of("readAllBytes of a /proc file, whose size is 0", side -> attempt(side, "bytes",
                        () -> new String(jdk(side) ? Files.readAllBytes(Path.of("/proc/sys/kernel/ostype"))
                                : RingFiles.readAllBytes(Path.of("/proc/sys/kernel/ostype")), US_ASCII))),
                Named.of("readAllBytes of a missing file", side -> attempt(side, "bytes",
                        () -> jdk(side) ? Files.readAllBytes(side.path("missing")) : RingFiles.readAllBytes(side.path("missing")))),
                Named.of("readAllBytes of a directory", side -> attempt(side, "bytes",
                        () -> jdk(side) ? Files.readAllBytes(side.dir) : RingFiles.readAllBytes(side.dir))),
                Named.of("readAllBytes of a file over 2 GiB (sparse) runs out of array", side -> {
                    try (RandomAccessFile file = new RandomAccessFile(side.path("huge").toFile(), "rw")) {
                        file.setLength(3L << 30);
                    }
                    attempt(side, "bytes", () -> (jdk(side) ? Files.readAllBytes(side.path("huge"))
                            : RingFiles.readAllBytes(side.path("huge"))).length);
                    Files.delete(side.path("huge"));
                }),
                Named.of("readString of UTF-8 text", side -> {
                    file(side, "f", "grüße, 世界 \uD83D\uDE00\n".getBytes(UTF_8));
                    attempt(side, "text", () -> jdk(side) ? Files.readString(side.path("f")) : RingFiles.readString(side.path("f")));
                }),
                Named.of("readString of text in UTF-16 with its byte order mark", side -> {
                    file(side, "f", "grüße".getBytes(UTF_16));
                    attempt(side, "text", () -> jdk(side) ? Files.readString(side.path("f"), UTF_16)
                            : RingFiles.readString(side.path("f"), UTF_16));
                }),
                Named.of("readString of an odd number of UTF-16 bytes is malformed", side -> {
                    file(side, "f", new byte[] {0, 'a', 0});
                    attempt(side, "text", () -> jdk(side) ? Files.readString(side.path("f"), UTF_16LE)
                            : RingFiles.readString(side.path("f"), UTF_16LE));
                }),
                Named.of("readString of windows-1252 with an unmapped byte", side -> {
                    file(side, "f", new byte[] {'a', (byte) 0x81, 'b'});
                    attempt(side, "text", () -> jdk(side) ? Files.readString(side.path("f"), WINDOWS_1252)
                            : RingFiles.readString(side.path("f"), WINDOWS_1252));
                }),
                Named.of("readString of ISO-8859-1 takes every byte", side -> {
                    file(side, "f", new byte[] {'a', (byte) 0x81, (byte) 0xff});
                    attempt(side, "text", () -> jdk(side) ? Files.readString(side.path("f"), ISO_8859_1)
                            : RingFiles.readString(side.path("f"), ISO_8859_1));
                }),
                Named.of("readString of a missing file", side -> attempt(side, "text",
                        () -> jdk(side) ? Files.readString(side.path("missing")) : RingFiles.readString(side.path("missing")))),
                Named.of("readString with a null charset opens nothing", side -> attempt(side, "text",
                        () -> jdk(side) ? Files.readString(side.path("missing"), null)
                                : RingFiles.readString(side.path("missing"), null))),
                Named.of("readAllLines with every line end", side -> {
                    file(side, "f", "one\ntwo\r\nthree\rfour".getBytes(UTF_8));
                    attempt(side, "lines", () -> jdk(side) ? Files.readAllLines(side.path("f"))
                            : RingFiles.readAllLines(side.path("f")));
                }),
                Named.of("readAllLines of malformed UTF-8", side -> {
                    file(side, "f", new byte[] {'o', 'k', '\n', (byte) 0xe2, (byte) 0x28, (byte) 0xa1});
                    attempt(side, "lines", () -> jdk(side) ? Files.readAllLines(side.path("f"))
                            : RingFiles.readAllLines(side.path("f")));
                }),
                Named.of("readAllLines in Shift_JIS", side -> {
                    file(side, "f", "日本\n語".getBytes(SHIFT_JIS));
                    attempt(side, "lines", () -> jdk(side) ? Files.readAllLines(side.path("f"), SHIFT_JIS)
                            : RingFiles.readAllLines(side.path("f"), SHIFT_JIS));
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wholeFiles")
    void wholeFileReadsBehaveLikeFiles(Scenario scenario) throws Exception {
        SideBySide.compare(tmp, dir -> { }, scenario);
    }

    static Stream<Named<Scenario>> writes() {
        return Stream.of(
                Named.of("write creates a file", side -> attempt(side, "write",
                        () -> write(side, "f", DATA).getFileName())),
                Named.of("write truncates an existing file", side -> {
                    file(side, "f", DATA);
                    attempt(side, "write", () -> write(side, "f", "short".getBytes(US_ASCII)).getFileName());
                }),
                Named.of("write appends with APPEND", side -> {
                    file(side, "f", "start-".getBytes(US_ASCII));
                    attempt(side, "write", () -> write(side, "f", "end".getBytes(US_ASCII), APPEND).getFileName());
                }),
                Named.of("write with CREATE_NEW refuses an existing file", side -> {
                    file(side, "f", DATA);
                    attempt(side, "write", () -> write(side, "f", "x".getBytes(US_ASCII), CREATE_NEW));
                }),
                Named.of("write with READ is refused before anything is opened", side -> attempt(side, "write",
                        () -> write(side, "f", "x".getBytes(US_ASCII), READ, WRITE, CREATE))),
                Named.of("write without CREATE to a missing file", side -> attempt(side, "write",
                        () -> write(side, "f", "x".getBytes(US_ASCII), WRITE))),
                Named.of("write with DSYNC", side -> attempt(side, "write",
                        () -> write(side, "f", DATA, CREATE, DSYNC, WRITE).getFileName())),
                Named.of("write of lines in ISO-8859-1", side -> attempt(side, "write", () -> (jdk(side)
                        ? Files.write(side.path("f"), List.of("café", "naïve"), ISO_8859_1)
                        : RingFiles.write(side.path("f"), List.of("café", "naïve"), ISO_8859_1)).getFileName())),
                Named.of("write of lines that ISO-8859-1 cannot encode", side -> attempt(side, "write", () -> (jdk(side)
                        ? Files.write(side.path("f"), List.of("ok", "€uro"), ISO_8859_1)
                        : RingFiles.write(side.path("f"), List.of("ok", "€uro"), ISO_8859_1)).getFileName())),
                Named.of("write of UTF-8 lines, appended", side -> {
                    file(side, "f", "first\n".getBytes(UTF_8));
                    attempt(side, "write", () -> (jdk(side) ? Files.write(side.path("f"), List.of("ü", "\uD83D\uDE00"), APPEND)
                            : RingFiles.write(side.path("f"), List.of("ü", "\uD83D\uDE00"), APPEND)).getFileName());
                }),
                Named.of("writeString of UTF-8", side -> attempt(side, "write",
                        () -> writeString(side, "grüße \uD83D\uDE00", UTF_8).getFileName())),
                Named.of("writeString of a lone surrogate in UTF-8 creates nothing", side -> attempt(side, "write",
                        () -> writeString(side, "ab\uD800c", UTF_8))),
                Named.of("writeString of a surrogate pair the wrong way round in UTF-8", side -> attempt(side, "write",
                        () -> writeString(side, "\uDE00\uD83D", UTF_8))),
                Named.of("writeString of Latin-1 text in ISO-8859-1", side -> attempt(side, "write",
                        () -> writeString(side, "café", ISO_8859_1).getFileName())),
                Named.of("writeString of the euro sign in ISO-8859-1", side -> attempt(side, "write",
                        () -> writeString(side, "5 €", ISO_8859_1))),
                Named.of("writeString of an emoji in ISO-8859-1", side -> attempt(side, "write",
                        () -> writeString(side, "\uD83D\uDE00", ISO_8859_1))),
                Named.of("writeString of Latin-1 text in US-ASCII", side -> attempt(side, "write",
                        () -> writeString(side, "café", US_ASCII))),
                Named.of("writeString of the euro sign in US-ASCII", side -> attempt(side, "write",
                        () -> writeString(side, "5 €", US_ASCII))),
                Named.of("writeString of an emoji in US-ASCII", side -> attempt(side, "write",
                        () -> writeString(side, "a\uD83D\uDE00", US_ASCII))),
                Named.of("writeString of a lone surrogate in UTF-16", side -> attempt(side, "write",
                        () -> writeString(side, "a\uD800", UTF_16))),
                Named.of("writeString in windows-1252 of what it cannot map", side -> attempt(side, "write",
                        () -> writeString(side, "a\u0100", WINDOWS_1252))),
                Named.of("writeString of an empty text in UTF-16", side -> attempt(side, "write",
                        () -> writeString(side, "", UTF_16).getFileName())),
                Named.of("writeString of null text", side -> attempt(side, "write", () -> writeString(side, null, UTF_8))),
                Named.of("newBufferedWriter then newBufferedReader", side -> {
                    try (BufferedWriter writer = jdk(side) ? Files.newBufferedWriter(side.path("f"), SHIFT_JIS)
                            : RingFiles.newBufferedWriter(side.path("f"), SHIFT_JIS)) {
                        writer.write("日本語\nline two");
                    }
                    try (BufferedReader reader = jdk(side) ? Files.newBufferedReader(side.path("f"), SHIFT_JIS)
                            : RingFiles.newBufferedReader(side.path("f"), SHIFT_JIS)) {
                        side.log("lines", reader.lines().toList());
                    }
                }),
                Named.of("newBufferedWriter with CREATE_NEW on an existing file", side -> {
                    file(side, "f", DATA);
                    attempt(side, "writer", () -> jdk(side) ? Files.newBufferedWriter(side.path("f"), CREATE_NEW)
                            : RingFiles.newBufferedWriter(side.path("f"), CREATE_NEW));
                }));
    }

    static Path write(Side side, String name, byte[] bytes, OpenOption... options) throws IOException {
        return jdk(side) ? Files.write(side.path(name), bytes, options) : RingFiles.write(side.path(name), bytes, options);
    }

    static Path writeString(Side side, String text, Charset charset) throws IOException {
        return jdk(side) ? Files.writeString(side.path("f"), text, charset)
                : RingFiles.writeString(side.path("f"), text, charset);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void writesBehaveLikeFiles(Scenario scenario) throws Exception {
        SideBySide.compare(tmp, dir -> { }, scenario);
    }

    // ---------------------------------------------------------------- lines

    /** Lines of all lengths and line ends, some longer than a split's look-around window. */
    static byte[] manyLines(Charset charset) {
        StringBuilder text = new StringBuilder();
        String[] ends = {"\n", "\r\n", "\r"};
        for (int i = 0; i < 5000; i++) {
            text.append("line ").append(i).append(" é ").append("x".repeat(i % 97 == 0 ? 20_000 : i % 13));
            text.append(ends[i % 3]);
        }
        return text.toString().getBytes(charset);
    }

    static Stream<Named<Scenario>> lines() {
        return Stream.of(
                Named.of("lines of a UTF-8 file, in order", side -> {
                    file(side, "f", manyLines(UTF_8));
                    try (Stream<String> lines = jdk(side) ? Files.lines(side.path("f")) : RingFiles.lines(side.path("f"))) {
                        side.log("lines", String.join("|", lines.toList()).hashCode());
                    }
                }),
                Named.of("lines of a UTF-8 file in parallel", side -> {
                    file(side, "f", manyLines(UTF_8));
                    try (Stream<String> lines = jdk(side) ? Files.lines(side.path("f")) : RingFiles.lines(side.path("f"))) {
                        side.log("lines", String.join("|", lines.parallel().toList()).hashCode());
                    }
                }),
                Named.of("lines in ISO-8859-1 in parallel", side -> {
                    file(side, "f", manyLines(ISO_8859_1));
                    try (Stream<String> lines = jdk(side) ? Files.lines(side.path("f"), ISO_8859_1)
                            : RingFiles.lines(side.path("f"), ISO_8859_1)) {
                        side.log("lines", lines.parallel().collect(Collectors.toList()).size());
                    }
                }),
                Named.of("lines in UTF-16 read through a reader", side -> {
                    file(side, "f", "a\nb\r\nc".getBytes(UTF_16));
                    try (Stream<String> lines = jdk(side) ? Files.lines(side.path("f"), UTF_16)
                            : RingFiles.lines(side.path("f"), UTF_16)) {
                        side.log("lines", lines.toList());
                    }
                }),
                Named.of("lines of an empty file", side -> {
                    file(side, "f", new byte[0]);
                    try (Stream<String> lines = jdk(side) ? Files.lines(side.path("f")) : RingFiles.lines(side.path("f"))) {
                        side.log("lines", lines.toList());
                    }
                }),
                Named.of("lines of a /proc file", side -> {
                    try (Stream<String> lines = jdk(side) ? Files.lines(Path.of("/proc/sys/kernel/ostype"))
                            : RingFiles.lines(Path.of("/proc/sys/kernel/ostype"))) {
                        side.log("lines", lines.toList());
                    }
                }),
                Named.of("lines of malformed UTF-8", side -> {
                    file(side, "f", new byte[] {'a', '\n', (byte) 0xc3, '\n'});
                    try (Stream<String> lines = jdk(side) ? Files.lines(side.path("f")) : RingFiles.lines(side.path("f"))) {
                        attempt(side, "lines", lines::toList);
                    }
                }),
                Named.of("lines of a missing file", side -> attempt(side, "lines",
                        () -> jdk(side) ? Files.lines(side.path("missing")) : RingFiles.lines(side.path("missing")))),
                Named.of("lines with a null charset", side -> attempt(side, "lines",
                        () -> jdk(side) ? Files.lines(side.path("missing"), null) : RingFiles.lines(side.path("missing"), null))),
                Named.of("lines of a file that grows while read are those it had", side -> {
                    file(side, "f", "a\nb\n".getBytes(UTF_8));
                    try (Stream<String> lines = jdk(side) ? Files.lines(side.path("f")) : RingFiles.lines(side.path("f"))) {
                        Files.write(side.path("f"), "c\n".getBytes(UTF_8), APPEND);
                        side.log("lines", lines.toList());
                    }
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void linesBehaveLikeFiles(Scenario scenario) throws Exception {
        SideBySide.compare(tmp, dir -> { }, scenario);
    }

    // ---------------------------------------------------------------- streams

    static InputStream in(Side side, String name, OpenOption... options) throws IOException {
        return jdk(side) ? Files.newInputStream(side.path(name), options) : RingFiles.newInputStream(side.path(name), options);
    }

    static OutputStream out(Side side, String name, OpenOption... options) throws IOException {
        return jdk(side) ? Files.newOutputStream(side.path(name), options) : RingFiles.newOutputStream(side.path(name), options);
    }

    static Stream<Named<Scenario>> streams() {
        return Stream.of(
                Named.of("an input stream read byte by byte, in arrays, skipped and asked what is available", side -> {
                    file(side, "f", DATA);
                    try (InputStream in = in(side, "f")) {
                        side.log("read", in.read());
                        byte[] buffer = new byte[10];
                        side.log("read array", in.read(buffer, 2, 5));
                        side.log("buffer", text(buffer));
                        side.log("read none", in.read(buffer, 0, 0));
                        side.log("available", in.available());
                        side.log("skip", in.skip(1000));
                        side.log("skip back", in.skip(-10));
                        side.log("skip far back", in.skip(-1_000_000));
                        side.log("skip past the end", in.skip(1_000_000));
                        side.log("available at end", in.available());
                        side.log("read at end", in.read());
                        side.log("read array at end", in.read(buffer));
                        attempt(side, "read out of bounds", () -> in.read(buffer, 5, 6));
                    }
                }),
                Named.of("readNBytes and readAllBytes from the middle", side -> {
                    file(side, "f", DATA);
                    try (InputStream in = in(side, "f")) {
                        side.log("skip", in.skip(99_000));
                        side.log("readNBytes 10", text(in.readNBytes(10)));
                        side.log("readNBytes 0", text(in.readNBytes(0)));
                        attempt(side, "readNBytes -1", () -> in.readNBytes(-1));
                        side.log("readAllBytes", text(in.readAllBytes()));
                        side.log("readNBytes at end", text(in.readNBytes(5)));
                        side.log("readAllBytes at end", text(in.readAllBytes()));
                    }
                }),
                Named.of("readNBytes more than there is", side -> {
                    file(side, "f", DATA);
                    try (InputStream in = in(side, "f")) {
                        side.log("readNBytes", text(in.readNBytes(1 << 20)));
                    }
                }),
                Named.of("an input stream of a /proc file", side -> {
                    try (InputStream in = jdk(side) ? Files.newInputStream(Path.of("/proc/sys/kernel/ostype"))
                            : RingFiles.newInputStream(Path.of("/proc/sys/kernel/ostype"))) {
                        side.log("available", in.available());
                        side.log("skip", in.skip(2));
                        side.log("readAllBytes", new String(in.readAllBytes(), US_ASCII));
                    }
                }),
                Named.of("an input stream of an empty file", side -> {
                    file(side, "f", new byte[0]);
                    try (InputStream in = in(side, "f")) {
                        side.log("skip", in.skip(5));
                        side.log("readNBytes", text(in.readNBytes(3)));
                        side.log("readAllBytes", text(in.readAllBytes()));
                        side.log("read", in.read());
                    }
                }),
                Named.of("transferTo a byte array stream, from the middle", side -> {
                    file(side, "f", DATA);
                    try (InputStream in = in(side, "f")) {
                        side.log("skip", in.skip(50_000));
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        side.log("transferred", in.transferTo(out));
                        side.log("bytes", text(out.toByteArray()));
                        side.log("read after", in.read());
                    }
                }),
                // past the first 16 KiB read, the stream reads 128 KiB at a time: several of those and a rest
                Named.of("transferTo a byte array stream, a file of several large reads", side -> {
                    file(side, "f", Bytes.pattern(11, 3 * 128 * 1024 + 16 * 1024 + 1));
                    try (InputStream in = in(side, "f")) {
                        side.log("read", in.read());
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        side.log("transferred", in.transferTo(out));
                        side.log("bytes", text(out.toByteArray()));
                        side.log("transferred at the end", in.transferTo(out));
                    }
                }),
                Named.of("transferTo an output stream of a file, from the middle, appending", side -> {
                    file(side, "f", DATA);
                    file(side, "g", "head-".getBytes(US_ASCII));
                    try (InputStream in = in(side, "f"); OutputStream out = out(side, "g", APPEND)) {
                        side.log("skip", in.skip(99_990));
                        side.log("transferred", in.transferTo(out));
                        side.log("read after", in.read());
                    }
                }),
                Named.of("transferTo a closed stream's null", side -> {
                    file(side, "f", DATA);
                    try (InputStream in = in(side, "f")) {
                        attempt(side, "transferTo", () -> in.transferTo(null));
                    }
                }),
                Named.of("an input stream used after close", side -> {
                    file(side, "f", DATA);
                    InputStream in = in(side, "f");
                    in.close();
                    in.close();
                    attempt(side, "read", in::read);
                    attempt(side, "read array", () -> in.read(new byte[4]));
                    attempt(side, "available", in::available);
                    attempt(side, "skip", () -> in.skip(4));
                    attempt(side, "readAllBytes", in::readAllBytes);
                    attempt(side, "readNBytes", () -> in.readNBytes(4));
                    attempt(side, "transferTo", () -> in.transferTo(new ByteArrayOutputStream()));
                }),
                Named.of("newInputStream with WRITE is refused", side -> {
                    file(side, "f", DATA);
                    attempt(side, "open", () -> in(side, "f", WRITE));
                }),
                Named.of("newInputStream with APPEND is refused", side -> {
                    file(side, "f", DATA);
                    attempt(side, "open", () -> in(side, "f", READ, APPEND));
                }),
                Named.of("newInputStream with DELETE_ON_CLOSE", side -> {
                    file(side, "f", DATA);
                    try (InputStream in = in(side, "f", DELETE_ON_CLOSE)) {
                        side.log("skip", in.skip(10));
                        side.log("readNBytes", text(in.readNBytes(10)));
                    }
                }),
                Named.of("newInputStream of a missing file", side -> attempt(side, "open", () -> in(side, "missing"))),
                Named.of("newInputStream of a directory, read", side -> {
                    try (InputStream in = in(side, ".")) {
                        attempt(side, "read", in::read);
                    }
                }),
                Named.of("an output stream written by byte and by array, then used after close", side -> {
                    OutputStream out = out(side, "f");
                    out.write('a');
                    out.write("bcd".getBytes(US_ASCII), 1, 2);
                    out.write(new byte[0]);
                    out.flush();
                    attempt(side, "write out of bounds", () -> {
                        out.write(new byte[2], 1, 2);
                        return null;
                    });
                    out.close();
                    out.close();
                    attempt(side, "write after close", () -> {
                        out.write('x');
                        return null;
                    });
                }),
                Named.of("newOutputStream truncates by default", side -> {
                    file(side, "f", DATA);
                    try (OutputStream out = out(side, "f")) {
                        out.write("new".getBytes(US_ASCII));
                    }
                }),
                Named.of("newOutputStream with WRITE alone overwrites in place", side -> {
                    file(side, "f", "0123456789".getBytes(US_ASCII));
                    try (OutputStream out = out(side, "f", WRITE)) {
                        out.write("ab".getBytes(US_ASCII));
                    }
                }),
                Named.of("newOutputStream with READ is refused", side -> attempt(side, "open", () -> out(side, "f", READ))),
                Named.of("newOutputStream with APPEND and TRUNCATE_EXISTING is refused", side -> attempt(side, "open",
                        () -> out(side, "f", APPEND, TRUNCATE_EXISTING))),
                Named.of("newOutputStream with CREATE_NEW on an existing file", side -> {
                    file(side, "f", DATA);
                    attempt(side, "open", () -> out(side, "f", CREATE_NEW));
                }),
                Named.of("newOutputStream with an option it does not know", side -> attempt(side, "open",
                        () -> out(side, "f", LinkOption.NOFOLLOW_LINKS, StandardCopyOptionAsOpen.INSTANCE))));
    }

    /** An option no file system knows. */
    enum StandardCopyOptionAsOpen implements OpenOption {
        INSTANCE
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void streamsBehaveLikeFiles(Scenario scenario) throws Exception {
        SideBySide.compare(tmp, dir -> { }, scenario);
    }

    // ---------------------------------------------------------------- interrupts

    /** Runs {@code step} with this thread's interrupt status set, and logs whether it is still set after. */
    static void interrupted(Side side, String label, Callable<?> step) {
        Thread.currentThread().interrupt();
        attempt(side, label, step);
        side.log("still interrupted", Thread.interrupted());
    }

    static Stream<Named<Scenario>> interrupts() {
        return Stream.of(
                Named.of("readAllBytes by an interrupted thread completes", side -> {
                    file(side, "f", DATA);
                    interrupted(side, "bytes", () -> text(jdk(side) ? Files.readAllBytes(side.path("f"))
                            : RingFiles.readAllBytes(side.path("f"))));
                }),
                Named.of("readString by an interrupted thread completes", side -> {
                    file(side, "f", "text".getBytes(UTF_8));
                    interrupted(side, "text", () -> jdk(side) ? Files.readString(side.path("f"))
                            : RingFiles.readString(side.path("f")));
                }),
                Named.of("an input stream read by an interrupted thread stays open", side -> {
                    file(side, "f", DATA);
                    try (InputStream in = in(side, "f")) {
                        interrupted(side, "read", in::read);
                        interrupted(side, "skip", () -> in.skip(10));
                        interrupted(side, "readAllBytes", () -> text(in.readAllBytes()));
                        interrupted(side, "available", in::available);
                    }
                }),
                Named.of("an output stream written by an interrupted thread stays open", side -> {
                    try (OutputStream out = out(side, "f")) {
                        interrupted(side, "write", () -> {
                            out.write(DATA);
                            return "written";
                        });
                        out.write('!');
                    }
                }),
                Named.of("write and copy by an interrupted thread complete", side -> {
                    file(side, "f", DATA);
                    interrupted(side, "write", () -> write(side, "g", DATA).getFileName());
                    interrupted(side, "copy", () -> copy(side, "f", "h"));
                    interrupted(side, "copy to a stream", () -> jdk(side)
                            ? Files.copy(side.path("f"), OutputStream.nullOutputStream())
                            : RingFiles.copy(side.path("f"), OutputStream.nullOutputStream()));
                }),
                Named.of("lines in UTF-8, on an interruptible channel, by an interrupted thread", side -> {
                    file(side, "f", "a\nb\n".getBytes(UTF_8));
                    try (Stream<String> lines = jdk(side) ? Files.lines(side.path("f")) : RingFiles.lines(side.path("f"))) {
                        interrupted(side, "lines", lines::toList);
                    }
                }),
                Named.of("lines in UTF-16, through a stream, by an interrupted thread", side -> {
                    file(side, "f", "a\nb\n".getBytes(UTF_16));
                    try (Stream<String> lines = jdk(side) ? Files.lines(side.path("f"), UTF_16)
                            : RingFiles.lines(side.path("f"), UTF_16)) {
                        interrupted(side, "lines", lines::toList);
                    }
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("interrupts")
    void interruptsDoWhatTheyDoToFiles(Scenario scenario) throws Exception {
        SideBySide.compare(tmp, dir -> { }, scenario);
    }

    /**
     * An interrupt while the stream's read is parked (a FIFO with no writer yet) neither cancels the
     * read nor closes the stream: the read returns what the writer writes, the interrupt status stays.
     */
    @Test
    void anInterruptWhileAStreamReadIsParkedLeavesTheReadToComplete() throws Exception {
        Path fifo = Fifos.make(tmp.resolve("fifo"));
        java.util.concurrent.CompletableFuture<List<Object>> outcome = new java.util.concurrent.CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream in = RingFiles.newInputStream(fifo)) {
                int first = in.read();
                boolean interrupted = Thread.currentThread().isInterrupted();
                int second = in.read();
                outcome.complete(List.of(first, second, interrupted));
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        });
        try (OutputStream writer = Files.newOutputStream(fifo)) {
            VirtualThreads.awaitParked(reader, 10_000);
            reader.interrupt();
            Thread.sleep(100);
            assertTrue(VirtualThreads.isParked(reader), "the read must go on waiting after the interrupt");
            writer.write(new byte[] {7, 8});
        }
        assertEquals(List.of(7, 8, true), outcome.get(10, java.util.concurrent.TimeUnit.SECONDS));
        reader.join();
    }

    // ---------------------------------------------------------------- copies

    static Object copy(Side side, String from, String to, CopyOption... options) throws IOException {
        return (jdk(side) ? Files.copy(side.path(from), side.path(to), options)
                : RingFiles.copy(side.path(from), side.path(to), options)).getFileName();
    }

    static Stream<Named<Scenario>> copies() {
        return Stream.of(
                Named.of("copy a stream to a new file", side -> attempt(side, "copy", () -> jdk(side)
                        ? Files.copy(new ByteArrayInputStream(DATA), side.path("f"))
                        : RingFiles.copy(new ByteArrayInputStream(DATA), side.path("f")))),
                Named.of("copy a stream onto an existing file", side -> {
                    file(side, "f", "old".getBytes(US_ASCII));
                    attempt(side, "copy", () -> jdk(side) ? Files.copy(new ByteArrayInputStream(DATA), side.path("f"))
                            : RingFiles.copy(new ByteArrayInputStream(DATA), side.path("f")));
                }),
                Named.of("copy a stream replacing an existing file", side -> {
                    file(side, "f", "old".getBytes(US_ASCII));
                    attempt(side, "copy", () -> jdk(side)
                            ? Files.copy(new ByteArrayInputStream(DATA), side.path("f"), REPLACE_EXISTING)
                            : RingFiles.copy(new ByteArrayInputStream(DATA), side.path("f"), REPLACE_EXISTING));
                }),
                Named.of("copy a stream with an option it does not take", side -> attempt(side, "copy", () -> jdk(side)
                        ? Files.copy(new ByteArrayInputStream(DATA), side.path("f"), COPY_ATTRIBUTES)
                        : RingFiles.copy(new ByteArrayInputStream(DATA), side.path("f"), COPY_ATTRIBUTES))),
                Named.of("copy a stream with a null option", side -> attempt(side, "copy", () -> jdk(side)
                        ? Files.copy(new ByteArrayInputStream(DATA), side.path("f"), (CopyOption) null)
                        : RingFiles.copy(new ByteArrayInputStream(DATA), side.path("f"), (CopyOption) null))),
                Named.of("copy a file to a stream", side -> {
                    file(side, "f", DATA);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    attempt(side, "copy", () -> jdk(side) ? Files.copy(side.path("f"), out) : RingFiles.copy(side.path("f"), out));
                    side.log("bytes", text(out.toByteArray()));
                }),
                Named.of("copy a missing file to a stream", side -> attempt(side, "copy", () -> jdk(side)
                        ? Files.copy(side.path("missing"), new ByteArrayOutputStream())
                        : RingFiles.copy(side.path("missing"), new ByteArrayOutputStream()))),
                Named.of("copy a file to a new path, with its permissions", side -> {
                    file(side, "f", DATA);
                    Files.setPosixFilePermissions(side.path("f"), PosixFilePermissions.fromString("rwxr-x---"));
                    attempt(side, "copy", () -> copy(side, "f", "g"));
                }),
                Named.of("copy a file onto an existing file", side -> {
                    file(side, "f", DATA);
                    file(side, "g", "old".getBytes(US_ASCII));
                    attempt(side, "copy", () -> copy(side, "f", "g"));
                }),
                Named.of("copy a file replacing an existing file", side -> {
                    file(side, "f", DATA);
                    file(side, "g", "old".getBytes(US_ASCII));
                    attempt(side, "copy", () -> copy(side, "f", "g", REPLACE_EXISTING));
                }),
                Named.of("copy a file replacing an empty directory", side -> {
                    file(side, "f", DATA);
                    Files.createDirectory(side.path("g"));
                    attempt(side, "copy", () -> copy(side, "f", "g", REPLACE_EXISTING));
                }),
                Named.of("copy a file replacing a directory that is not empty", side -> {
                    file(side, "f", DATA);
                    Files.createDirectory(side.path("g"));
                    file(side, "g/inside", DATA);
                    attempt(side, "copy", () -> copy(side, "f", "g", REPLACE_EXISTING));
                }),
                Named.of("copy a file onto itself", side -> {
                    file(side, "f", DATA);
                    attempt(side, "copy", () -> copy(side, "f", "f"));
                }),
                Named.of("copy a file onto a hard link to it", side -> {
                    file(side, "f", DATA);
                    Files.createLink(side.path("g"), side.path("f"));
                    attempt(side, "copy", () -> copy(side, "f", "g", REPLACE_EXISTING));
                }),
                Named.of("copy a missing file", side -> attempt(side, "copy", () -> copy(side, "missing", "g"))),
                Named.of("copy a file under a path that is not a directory", side -> {
                    file(side, "f", DATA);
                    attempt(side, "copy", () -> copy(side, "f/x", "g"));
                }),
                Named.of("copy into a missing directory", side -> {
                    file(side, "f", DATA);
                    attempt(side, "copy", () -> copy(side, "f", "missing/g"));
                }),
                Named.of("copy a directory", side -> {
                    Files.createDirectory(side.path("d"));
                    file(side, "d/inside", DATA);
                    attempt(side, "copy", () -> copy(side, "d", "e"));
                }),
                Named.of("copy a symbolic link, followed", side -> {
                    file(side, "f", DATA);
                    Files.createSymbolicLink(side.path("link"), Path.of("f"));
                    attempt(side, "copy", () -> copy(side, "link", "g"));
                }),
                Named.of("copy a symbolic link, not followed", side -> {
                    file(side, "f", DATA);
                    Files.createSymbolicLink(side.path("link"), Path.of("f"));
                    attempt(side, "copy", () -> copy(side, "link", "g", LinkOption.NOFOLLOW_LINKS));
                }),
                Named.of("copy onto a dangling symbolic link", side -> {
                    file(side, "f", DATA);
                    Files.createSymbolicLink(side.path("g"), Path.of("nowhere"));
                    attempt(side, "copy", () -> copy(side, "f", "g"));
                }),
                Named.of("copy a /proc file, whose size is 0", side -> attempt(side, "copy", () -> (jdk(side)
                        ? Files.copy(Path.of("/proc/sys/kernel/ostype"), side.path("g"))
                        : RingFiles.copy(Path.of("/proc/sys/kernel/ostype"), side.path("g"))).getFileName())),
                Named.of("copy an empty file", side -> {
                    file(side, "f", new byte[0]);
                    attempt(side, "copy", () -> copy(side, "f", "g"));
                }),
                Named.of("copy with an option copy does not take", side -> {
                    file(side, "f", DATA);
                    attempt(side, "copy", () -> copy(side, "f", "g", java.nio.file.StandardCopyOption.ATOMIC_MOVE));
                }),
                Named.of("copy with a null option", side -> {
                    file(side, "f", DATA);
                    attempt(side, "copy", () -> copy(side, "f", "g", (CopyOption) null));
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("copies")
    void copiesBehaveLikeFiles(Scenario scenario) throws Exception {
        SideBySide.compare(tmp, dir -> { }, scenario);
    }

    @Test
    void copyWithAttributesKeepsTheModificationTime() throws Exception {
        Path source = Files.write(tmp.resolve("f"), DATA);
        FileTime then = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(source, then);
        RingFiles.copy(source, tmp.resolve("g"), COPY_ATTRIBUTES);
        assertEquals(then, Files.getLastModifiedTime(tmp.resolve("g")));
        assertArrayEquals(DATA, Files.readAllBytes(tmp.resolve("g")));
    }

    /** What an all-zero 4 kB file in a path of another file system (here: a zip file's) reads like. */
    @Test
    void pathsOfAnotherFileSystemGoToFiles() throws Exception {
        Path zip = tmp.resolve("z.zip");
        try (var zipFileSystem = java.nio.file.FileSystems.newFileSystem(zip, java.util.Map.of("create", "true"))) {
            Path inside = zipFileSystem.getPath("/inside.txt");
            RingFiles.writeString(inside, "zipped");
            assertEquals("zipped", RingFiles.readString(inside));
            assertEquals(List.of("zipped"), RingFiles.readAllLines(inside));
            try (Stream<String> lines = RingFiles.lines(inside)) {
                assertEquals(List.of("zipped"), lines.toList());
            }
            RingFiles.copy(inside, zipFileSystem.getPath("/copy.txt"));
            assertArrayEquals("zipped".getBytes(US_ASCII), RingFiles.readAllBytes(zipFileSystem.getPath("/copy.txt")));
        }
    }

    /** Random bytes, strictly decoded: the same text, or the same error of the same length, as the JDK. */
    @Test
    void strictDecodingReportsWhatTheJdkReports() throws Exception {
        Path file = tmp.resolve("f");
        java.util.SplittableRandom random = new java.util.SplittableRandom(12);
        List<Charset> charsets = List.of(UTF_8, US_ASCII, ISO_8859_1, UTF_16, UTF_16LE, WINDOWS_1252, SHIFT_JIS,
                Charset.forName("EUC-JP"), Charset.forName("GB18030"));
        List<String> differences = new ArrayList<>();
        for (int round = 0; round < 3000; round++) {
            byte[] bytes = new byte[random.nextInt(0, 12)];
            for (int i = 0; i < bytes.length; i++) {
                // mostly high bytes, lead and continuation bytes of UTF-8 among them
                bytes[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(0x20, 0x80) : random.nextInt(0x80, 0x100));
            }
            Charset charset = charsets.get(round % charsets.size());
            Files.write(file, bytes);
            String jdk = outcome(() -> Files.readString(file, charset));
            String ring = outcome(() -> StrictCoding.decode(bytes, charset));
            if (!jdk.equals(ring)) {
                differences.add(charset + " " + Bytes.describe(bytes) + ": JDK " + jdk + ", Ringpark " + ring);
            }
        }
        assertEquals(List.of(), differences);
    }

    /** Random texts, strictly encoded: the same bytes, or the same error of the same length, as the JDK. */
    @Test
    void strictEncodingReportsWhatTheJdkReports() throws Exception {
        Path file = tmp.resolve("f");
        java.util.SplittableRandom random = new java.util.SplittableRandom(13);
        char[] alphabet = {'a', 'é', 'ÿ', '€', '日', '\uD83D', '\uDE00', '\u0100', '\n'};
        List<Charset> charsets = List.of(UTF_8, US_ASCII, ISO_8859_1, UTF_16, WINDOWS_1252, SHIFT_JIS);
        List<String> differences = new ArrayList<>();
        for (int round = 0; round < 2000; round++) {
            char[] chars = new char[random.nextInt(0, 6)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = alphabet[random.nextInt(alphabet.length)];
            }
            String text = new String(chars);
            Charset charset = charsets.get(round % charsets.size());
            Files.deleteIfExists(file);
            String jdk = outcome(() -> {
                Files.writeString(file, text, charset);
                return Bytes.describe(Files.readAllBytes(file));
            });
            String ring = outcome(() -> Bytes.describe(StrictCoding.encode(text, charset)));
            if (!jdk.equals(ring)) {
                differences.add(charset + " " + text.chars().mapToObj(Integer::toHexString).toList() + ": JDK " + jdk
                        + ", Ringpark " + ring);
            }
        }
        assertEquals(List.of(), differences);
    }

    private static String outcome(Callable<String> step) {
        try {
            return step.call();
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    @Test
    void readAllBytesSeesAFileThatGrewSinceItsSizeWasTaken() throws Exception {
        // A FIFO says size 0 and gives what a writer writes: the buffer grows past the size taken.
        Path fifo = tmp.resolve("fifo");
        Fifos.make(fifo);
        Thread writer = Thread.ofPlatform().start(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write(DATA);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        byte[] read = VirtualThreads.call(() -> RingFiles.readAllBytes(fifo));
        writer.join();
        assertArrayEquals(DATA, read);
        assertTrue(read.length > 8192);
    }

    @Test
    void aFileSystemExceptionNamesTheFileAsTheJdksDoes() throws Exception {
        FileSystemException jdk = org.junit.jupiter.api.Assertions.assertThrows(FileSystemException.class,
                () -> Files.readAllBytes(tmp.resolve("missing")));
        FileSystemException ring = org.junit.jupiter.api.Assertions.assertThrows(FileSystemException.class,
                () -> RingFiles.readAllBytes(tmp.resolve("missing")));
        assertEquals(jdk.getClass(), ring.getClass());
        assertEquals(jdk.getMessage(), ring.getMessage());
    }
}
