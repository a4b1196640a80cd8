package dev.ringpark;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnmappableCharacterException;
import java.nio.file.CopyOption;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The reading and writing helpers of {@link Files}, through Ringpark: each opens its file as a
 * {@link RingFileChannel}, so a virtual thread that calls it parks instead of pinning its carrier
 * while the kernel reads or writes. Each behaves as the {@code Files} method of the same name: the
 * same options and defaults, the same charsets and the same errors for input they cannot decode or
 * output they cannot encode ({@link MalformedInputException}, {@link UnmappableCharacterException}),
 * the same exceptions for the same failures, the same results for empty files, for files whose size
 * changes while they are read, and for files that say their size is 0 ({@code /proc}).
 *
 * <p>Paths of the default file system are files of the operating system, whether or not
 * {@link RingFileSystemProvider} is installed; a path of any other file system (a zip file system,
 * an in-memory one) is handed to {@code Files} unchanged.
 *
 * <p>Streams and the channels behind these methods are not closed by an interrupt of the thread
 * using them, as the JDK's are not: the call completes and the thread's interrupt status stays set.
 * The exception is {@link #lines(Path, Charset)} for the charsets it splits files for (UTF-8,
 * ISO-8859-1, US-ASCII), whose channel is interruptible, as the JDK's is.
 *
 * <p>What still runs on the caller's carrier: the metadata calls some of these make as
 * {@code Files} does ({@code copy} reads attributes, checks access and deletes a replaced target;
 * {@code copy} of anything but a plain regular file is the JDK's own copy).
 */
public final class RingFiles {
    /** The JDK's {@code Files.BUFFER_SIZE}: the least a buffer grows to while reading a file to its end. */
    private static final int BUFFER_SIZE = 8192;
    /** What {@code Files.newOutputStream} opens with when given no option. */
    private static final Set<OpenOption> DEFAULT_OUTPUT_OPTIONS = Set.of(StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    /** The charsets in which {@code Files.lines} splits files at line-end bytes (its {@code FileChannelLinesSpliterator}'s). */
    private static final Set<Charset> SPLITTABLE_CHARSETS = Set.of(StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1,
            StandardCharsets.US_ASCII);

    private RingFiles() {
    }

    /**
     * The platform's path for {@code path} when it names a file of the operating system: a Ringpark
     * path's, or the path itself when it belongs to the default file system; {@code null} for a path
     * of another file system.
     */
    static Path local(Path path) {
        if (path instanceof RingPath ring) {
            return ring.platformPath();
        }
        FileSystem fileSystem = path.getFileSystem();
        return fileSystem == FileSystems.getDefault() || fileSystem == PlatformFileSystem.fileSystem() ? path : null;
    }

    // ---------------------------------------------------------------- streams

    /**
     * Opens a file for reading, as {@link Files#newInputStream}.
     *
     * @param path    the file
     * @param options how to open it; READ when none is given
     * @return an input stream over a Ringpark channel, unbuffered as the JDK's is
     * @throws IllegalArgumentException      for an invalid combination of options
     * @throws UnsupportedOperationException for an unsupported option, or for {@code WRITE} or {@code APPEND}
     * @throws IOException                   when the file cannot be opened, as {@code Files} reports it
     */
    public static InputStream newInputStream(Path path, OpenOption... options) throws IOException {
        Path local = local(path);
        return local == null ? Files.newInputStream(path, options) : newInputStreamOn(local, options);
    }

    /** {@code FileSystemProvider.newInputStream}'s checks and defaults, on a platform path. */
    static InputStream newInputStreamOn(Path path, OpenOption... options) throws IOException {
        for (OpenOption option : options) {
            if (option == StandardOpenOption.APPEND || option == StandardOpenOption.WRITE) {
                throw new UnsupportedOperationException("'" + option + "' not allowed");
            }
        }
        Set<OpenOption> set;
        if (options.length == 0) {
            set = Collections.emptySet();
        } else {
            set = new HashSet<>();
            Collections.addAll(set, options);
        }
        return new RingInputStream(RingFileChannel.openUninterruptible(path, set), path);
    }

    /**
     * Opens or creates a file for writing, as {@link Files#newOutputStream}.
     *
     * @param path    the file
     * @param options how to open it; with none, CREATE, TRUNCATE_EXISTING and WRITE; WRITE is always added
     * @return an output stream over a Ringpark channel, unbuffered as the JDK's is
     * @throws IllegalArgumentException      for {@code READ} or an invalid combination of options
     * @throws UnsupportedOperationException for an unsupported option
     * @throws FileAlreadyExistsException    for {@code CREATE_NEW} when the file exists
     * @throws IOException                   when the file cannot be opened, as {@code Files} reports it
     */
    public static OutputStream newOutputStream(Path path, OpenOption... options) throws IOException {
        Path local = local(path);
        return local == null ? Files.newOutputStream(path, options) : newOutputStreamOn(local, options);
    }

    /** {@code FileSystemProvider.newOutputStream}'s checks and defaults, on a platform path. */
    static OutputStream newOutputStreamOn(Path path, OpenOption... options) throws IOException {
        Set<OpenOption> set;
        if (options.length == 0) {
            set = DEFAULT_OUTPUT_OPTIONS;
        } else {
            set = new HashSet<>();
            for (OpenOption option : options) {
                if (option == StandardOpenOption.READ) {
                    throw new IllegalArgumentException("READ not allowed");
                }
                set.add(option);
            }
            set.add(StandardOpenOption.WRITE);
        }
        return new RingOutputStream(RingFileChannel.openUninterruptible(path, set));
    }

    /**
     * Opens a file for reading text, as {@link Files#newBufferedReader(Path, Charset)}.
     *
     * @param path    the file
     * @param charset how its bytes decode; malformed or unmappable input makes reads throw
     * @return a buffered reader over {@link #newInputStream}
     * @throws IOException when the file cannot be opened
     */
    public static BufferedReader newBufferedReader(Path path, Charset charset) throws IOException {
        CharsetDecoder decoder = charset.newDecoder();
        return new BufferedReader(new InputStreamReader(newInputStream(path), decoder));
    }

    /**
     * Opens a file for reading UTF-8 text, as {@link Files#newBufferedReader(Path)}.
     *
     * @param path the file
     * @return a buffered reader over {@link #newInputStream}
     * @throws IOException when the file cannot be opened
     */
    public static BufferedReader newBufferedReader(Path path) throws IOException {
        return newBufferedReader(path, StandardCharsets.UTF_8);
    }

    /**
     * Opens or creates a file for writing text, as {@link Files#newBufferedWriter(Path, Charset, OpenOption...)}.
     *
     * @param path    the file
     * @param charset how characters encode; unmappable ones make writes throw
     * @param options as for {@link #newOutputStream}
     * @return a buffered writer over {@link #newOutputStream}
     * @throws IOException as {@link #newOutputStream}
     */
    public static BufferedWriter newBufferedWriter(Path path, Charset charset, OpenOption... options)
            throws IOException {
        CharsetEncoder encoder = charset.newEncoder();
        return new BufferedWriter(new OutputStreamWriter(newOutputStream(path, options), encoder));
    }

    /**
     * Opens or creates a file for writing UTF-8 text, as {@link Files#newBufferedWriter(Path, OpenOption...)}.
     *
     * @param path    the file
     * @param options as for {@link #newOutputStream}
     * @return a buffered writer over {@link #newOutputStream}
     * @throws IOException as {@link #newOutputStream}
     */
    public static BufferedWriter newBufferedWriter(Path path, OpenOption... options) throws IOException {
        return newBufferedWriter(path, StandardCharsets.UTF_8, options);
    }

    // ---------------------------------------------------------------- copies

    /**
     * Copies a stream into a new file, as {@link Files#copy(InputStream, Path, CopyOption...)}.
     *
     * @param in      the stream, read to its end
     * @param target  the file to create
     * @param options {@link StandardCopyOption#REPLACE_EXISTING} at most
     * @return the bytes copied
     * @throws FileAlreadyExistsException    when the target exists and may not be replaced
     * @throws UnsupportedOperationException for any other option
     * @throws IOException                   when reading or writing fails
     */
    public static long copy(InputStream in, Path target, CopyOption... options) throws IOException {
        Objects.requireNonNull(in);
        boolean replaceExisting = false;
        for (CopyOption option : options) {
            if (option == StandardCopyOption.REPLACE_EXISTING) {
                replaceExisting = true;
            } else if (option == null) {
                throw new NullPointerException("options contains 'null'");
            } else {
                throw new UnsupportedOperationException(option + " not supported");
            }
        }
        if (replaceExisting) {
            Files.deleteIfExists(target);
        }
        try (OutputStream out = newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            return in.transferTo(out);
        }
    }

    /**
     * Copies a file into a stream, as {@link Files#copy(Path, OutputStream)}.
     *
     * @param source the file, read to its end
     * @param out    where its bytes go
     * @return the bytes copied
     * @throws IOException when reading or writing fails
     */
    public static long copy(Path source, OutputStream out) throws IOException {
        Objects.requireNonNull(out);
        try (InputStream in = newInputStream(source)) {
            return in.transferTo(out);
        }
    }

    /**
     * Copies a file to a path, as {@link Files#copy(Path, Path, CopyOption...)}. A regular file's bytes
     * go through Ringpark channels; the checks before (attributes, access, an existing target) and
     * copies of anything else (directories, links, devices, files with the set-user-ID, set-group-ID
     * or sticky bit) and copies with options other than {@code REPLACE_EXISTING} and
     * {@code NOFOLLOW_LINKS} are the JDK's own, on the caller's carrier.
     *
     * @param source  the file to copy
     * @param target  where the copy goes
     * @param options as for {@code Files.copy}
     * @return {@code target}
     * @throws FileAlreadyExistsException when the target exists and {@code REPLACE_EXISTING} is not given
     * @throws IOException                as {@code Files.copy} reports it
     */
    public static Path copy(Path source, Path target, CopyOption... options) throws IOException {
        Path from = local(source);
        Path to = local(target);
        if (from == null || to == null) {
            return Files.copy(source, target, options);
        }
        FileCopy.copy(from, to, options);
        return target;
    }

    // ---------------------------------------------------------------- whole files

    /**
     * Reads a whole file, as {@link Files#readAllBytes}.
     *
     * @param path the file
     * @return its bytes, as many as it had when the end was reached
     * @throws OutOfMemoryError when the file is larger than an array can be ("Required array size too large")
     * @throws IOException      when the file cannot be opened or read
     */
    public static byte[] readAllBytes(Path path) throws IOException {
        Path local = local(path);
        if (local == null) {
            return Files.readAllBytes(path);
        }
        try (FileChannel channel = RingFileChannel.openUninterruptible(local, Collections.emptySet());
             InputStream in = new RingInputStream(channel, local)) {
            long size = channel.size();
            if (size > (long) Integer.MAX_VALUE) {
                throw new OutOfMemoryError("Required array size too large");
            }
            return read(in, (int) size);
        }
    }

    /** {@code Files.read}: to the end of {@code source}, which may hold more or less than {@code initialSize}. */
    private static byte[] read(InputStream source, int initialSize) throws IOException {
        int capacity = initialSize;
        byte[] buf = new byte[capacity];
        int nread = 0;
        int n;
        for (;;) {
            while ((n = source.read(buf, nread, capacity - nread)) > 0) {
                nread += n;
            }
            if (n < 0 || (n = source.read()) < 0) {
                break;
            }
            capacity = Math.max(ArrayLengths.grown(capacity, 1, capacity), BUFFER_SIZE);
            buf = Arrays.copyOf(buf, capacity);
            buf[nread++] = (byte) n;
        }
        return capacity == nread ? buf : Arrays.copyOf(buf, nread);
    }

    /**
     * Reads a whole file as UTF-8 text, as {@link Files#readString(Path)}.
     *
     * @param path the file
     * @return its text
     * @throws MalformedInputException       when its bytes are not UTF-8
     * @throws OutOfMemoryError              when the file is larger than an array can be
     * @throws IOException                   when the file cannot be opened or read
     */
    public static String readString(Path path) throws IOException {
        return readString(path, StandardCharsets.UTF_8);
    }

    /**
     * Reads a whole file as text, as {@link Files#readString(Path, Charset)}.
     *
     * @param path    the file
     * @param charset how its bytes decode
     * @return its text
     * @throws MalformedInputException       when its bytes are malformed for {@code charset}
     * @throws UnmappableCharacterException  when they name a character {@code charset} cannot map
     * @throws OutOfMemoryError              when the file is larger than an array can be
     * @throws IOException                   when the file cannot be opened or read
     */
    public static String readString(Path path, Charset charset) throws IOException {
        Objects.requireNonNull(path);
        Objects.requireNonNull(charset);
        return StrictCoding.decode(readAllBytes(path), charset);
    }

    /**
     * Reads a whole file as lines of text, as {@link Files#readAllLines(Path, Charset)}.
     *
     * @param path    the file
     * @param charset how its bytes decode
     * @return its lines, without their line ends
     * @throws MalformedInputException when its bytes are malformed, or name an unmappable character
     * @throws IOException             when the file cannot be opened or read
     */
    public static List<String> readAllLines(Path path, Charset charset) throws IOException {
        try (BufferedReader reader = newBufferedReader(path, charset)) {
            List<String> result = new ArrayList<>();
            for (;;) {
                String line = reader.readLine();
                if (line == null) {
                    break;
                }
                result.add(line);
            }
            return result;
        }
    }

    /**
     * Reads a whole file as lines of UTF-8 text, as {@link Files#readAllLines(Path)}.
     *
     * @param path the file
     * @return its lines, without their line ends
     * @throws MalformedInputException when its bytes are not UTF-8
     * @throws IOException             when the file cannot be opened or read
     */
    public static List<String> readAllLines(Path path) throws IOException {
        return readAllLines(path, StandardCharsets.UTF_8);
    }

    /**
     * Writes bytes to a file, as {@link Files#write(Path, byte[], OpenOption...)}.
     *
     * @param path    the file
     * @param bytes   what to write
     * @param options as for {@link #newOutputStream}: by default the file is created or truncated
     * @return {@code path}
     * @throws IOException as {@link #newOutputStream}, or when writing fails
     */
    public static Path write(Path path, byte[] bytes, OpenOption... options) throws IOException {
        Objects.requireNonNull(bytes);
        try (OutputStream out = newOutputStream(path, options)) {
            int len = bytes.length;
            int rem = len;
            while (rem > 0) {
                int n = Math.min(rem, BUFFER_SIZE);
                out.write(bytes, len - rem, n);
                rem -= n;
            }
        }
        return path;
    }

    /**
     * Writes lines of text to a file, each followed by the platform's line separator, as
     * {@link Files#write(Path, Iterable, Charset, OpenOption...)}.
     *
     * @param path    the file
     * @param lines   what to write
     * @param charset how characters encode
     * @param options as for {@link #newOutputStream}
     * @return {@code path}
     * @throws UnmappableCharacterException when a line holds a character {@code charset} cannot encode
     * @throws IOException                  as {@link #newOutputStream}, or when writing fails
     */
    public static Path write(Path path, Iterable<? extends CharSequence> lines, Charset charset,
                             OpenOption... options) throws IOException {
        Objects.requireNonNull(lines);
        CharsetEncoder encoder = charset.newEncoder();
        try (OutputStream out = newOutputStream(path, options);
             BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, encoder))) {
            for (CharSequence line : lines) {
                writer.append(line);
                writer.newLine();
            }
        }
        return path;
    }

    /**
     * Writes lines of UTF-8 text to a file, as {@link Files#write(Path, Iterable, OpenOption...)}.
     *
     * @param path    the file
     * @param lines   what to write
     * @param options as for {@link #newOutputStream}
     * @return {@code path}
     * @throws UnmappableCharacterException when a line holds a lone surrogate
     * @throws IOException                  as {@link #newOutputStream}, or when writing fails
     */
    public static Path write(Path path, Iterable<? extends CharSequence> lines, OpenOption... options)
            throws IOException {
        return write(path, lines, StandardCharsets.UTF_8, options);
    }

    /**
     * Writes text to a file as UTF-8, as {@link Files#writeString(Path, CharSequence, OpenOption...)}.
     *
     * @param path    the file
     * @param text    what to write
     * @param options as for {@link #newOutputStream}
     * @return {@code path}
     * @throws UnmappableCharacterException when the text holds a lone surrogate (nothing is opened then)
     * @throws IOException                  as {@link #newOutputStream}, or when writing fails
     */
    public static Path writeString(Path path, CharSequence text, OpenOption... options) throws IOException {
        return writeString(path, text, StandardCharsets.UTF_8, options);
    }

    /**
     * Writes text to a file, as {@link Files#writeString(Path, CharSequence, Charset, OpenOption...)}.
     *
     * @param path    the file
     * @param text    what to write
     * @param charset how characters encode
     * @param options as for {@link #newOutputStream}
     * @return {@code path}
     * @throws UnmappableCharacterException when the text holds a character {@code charset} cannot encode
     *                                      (nothing is opened then)
     * @throws MalformedInputException      when a charset's encoder finds it malformed (a lone surrogate)
     * @throws IOException                  as {@link #newOutputStream}, or when writing fails
     */
    public static Path writeString(Path path, CharSequence text, Charset charset, OpenOption... options)
            throws IOException {
        Objects.requireNonNull(path);
        Objects.requireNonNull(text);
        Objects.requireNonNull(charset);
        write(path, StrictCoding.encode(String.valueOf(text), charset), options);
        return path;
    }

    /**
     * The lines of a file as a lazily read stream, as {@link Files#lines(Path, Charset)}: for UTF-8,
     * ISO-8859-1 and US-ASCII it covers the bytes the file had when this was called, and splits them
     * at line ends for a parallel stream; for other charsets, and for a file whose size is 0, it reads
     * through a {@link BufferedReader} to the end. Close the stream to close the file.
     *
     * @param path    the file
     * @param charset how its bytes decode; an error surfaces as an {@link UncheckedIOException}
     * @return the lines, without their line ends
     * @throws IOException when the file cannot be opened
     */
    public static Stream<String> lines(Path path, Charset charset) throws IOException {
        Path local = local(path);
        if (local == null) {
            return Files.lines(path, charset);
        }
        if (SPLITTABLE_CHARSETS.contains(charset)) {
            FileChannel channel = RingFileChannel.open(local, StandardOpenOption.READ);
            Stream<String> lines = linesOfChannel(channel, charset);
            if (lines != null) {
                return lines;
            }
            channel.close();
        }
        return linesOfReader(newBufferedReader(path, charset));
    }

    /**
     * The lines of a UTF-8 file, as {@link Files#lines(Path)}.
     *
     * @param path the file
     * @return the lines, without their line ends
     * @throws IOException when the file cannot be opened
     */
    public static Stream<String> lines(Path path) throws IOException {
        return lines(path, StandardCharsets.UTF_8);
    }

    /** {@code Files.createFileChannelLinesStream}: {@code null} when the size does not allow splitting. */
    private static Stream<String> linesOfChannel(FileChannel channel, Charset charset) throws IOException {
        try {
            long length = channel.size();
            if (length > 0 && length <= Integer.MAX_VALUE) {
                LinesSpliterator lines = new LinesSpliterator(channel, charset, 0, (int) length);
                return StreamSupport.stream(lines, false).onClose(closing(channel));
            }
        } catch (Error | RuntimeException | IOException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return null;
    }

    /** {@code Files.createBufferedReaderLinesStream}. */
    private static Stream<String> linesOfReader(BufferedReader reader) {
        try {
            return reader.lines().onClose(closing(reader));
        } catch (Error | RuntimeException e) {
            try {
                reader.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Closes {@code resource}, an {@link IOException} rethrown unchecked. */
    private static Runnable closing(Closeable resource) {
        return () -> {
            try {
                resource.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
