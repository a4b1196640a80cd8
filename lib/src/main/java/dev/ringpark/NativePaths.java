package dev.ringpark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The bytes that the JDK's Unix provider hands to system calls for a path, which Ringpark hands to
 * them in its place.
 *
 * <ul>
 *   <li>The empty path: {@code "."}, the current directory, as the JDK opens it.</li>
 *   <li>Any other path made from a string: the string in the platform's encoding of file names
 *       ({@code sun.jnu.encoding}: US-ASCII under the POSIX locale, UTF-8 under most others), in
 *       which the JDK encodes it (a string it cannot encode is refused when the path is made).</li>
 *   <li>A path whose bytes that encoding cannot decode, such as a directory entry named in
 *       another encoding: its string holds U+FFFD for each such byte, and encoding the string
 *       would name another file. Its bytes come from its URI instead, which the JDK writes from
 *       the path's own bytes, escaping each byte outside ASCII.</li>
 * </ul>
 */
final class NativePaths {
    private static final byte[] CURRENT_DIRECTORY = {'.'};
    private static final char REPLACEMENT = '\uFFFD';

    private NativePaths() {
    }

    /** The platform's encoding of file names; read at the first open, long after start-up. */
    private static final class Encoding {
        static final Charset FILE_NAMES = Charset.forName(System.getProperty("sun.jnu.encoding"),
                Charset.defaultCharset());
    }

    /**
     * The bytes of {@code path} for a system call, without the terminating NUL. A new array, which
     * the caller may change.
     *
     * @throws IOException when the bytes had to come from the URI and asking for it failed
     */
    static byte[] of(Path path) throws IOException {
        String text = path.toString();
        if (text.isEmpty()) {
            return CURRENT_DIRECTORY.clone();
        }
        if (text.indexOf(REPLACEMENT) < 0) {
            return text.getBytes(Encoding.FILE_NAMES);
        }
        return fromUri(path, text);
    }

    /**
     * The bytes of {@code path} from its URI, which is absolute: for a relative path, the part after
     * the current directory's URI, so that the kernel resolves it from the current directory as it
     * does the JDK's relative paths.
     *
     * <p>{@link Path#toUri()} may ask the kernel whether the path names a directory (to end the URI
     * with a slash), which may wait for the disk: it runs on a pool thread while the caller parks.
     */
    private static byte[] fromUri(Path path, String text) throws IOException {
        byte[] absolute = PlatformThreads.awaitUninterruptibly(OffloadedCalls.POOL.submit(() -> {
            byte[] bytes = unescape(path.toUri());
            if (path.isAbsolute()) {
                return bytes;
            }
            byte[] directory = unescape(path.getFileSystem().getPath("").toAbsolutePath().toUri());
            int start = directory.length + (directory[directory.length - 1] == '/' ? 0 : 1);
            return Arrays.copyOfRange(bytes, start, bytes.length);
        }));
        // The JDK ends a directory's URI with a slash; no path's own bytes end with one but the root's.
        int end = absolute.length;
        if (end > 1 && absolute[end - 1] == '/' && !text.endsWith("/")) {
            end--;
        }
        return Arrays.copyOf(absolute, end);
    }

    /** The raw path of {@code uri} with each {@code %XX} escape made the byte it stands for. */
    private static byte[] unescape(URI uri) {
        String raw = uri.getRawPath();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                bytes.write(HexFormat.fromHexDigits(raw, i + 1, i + 3));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toByteArray();
    }
}
