package dev.ringpark;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnmappableCharacterException;
import java.util.Arrays;

/**
 * Decoding and encoding that fail rather than replace, exactly as {@code Files.readString} and
 * {@code Files.writeString} do. They call the JDK's private {@code String} methods "without
 * replacement", whose errors are not always the ones a {@link CharsetDecoder} reports: for UTF-8,
 * a malformed three-byte sequence is reported as 3 bytes long where the decoder says 1 or 2, and a
 * lone surrogate is unmappable (length 1) where the encoder says malformed; ISO-8859-1 and US-ASCII
 * report every error as length 1. Other charsets go through a decoder or encoder, as in the JDK.
 */
final class StrictCoding {
    private StrictCoding() {
    }

    /** {@code bytes} decoded as {@code Files.readString} decodes them. */
    static String decode(byte[] bytes, Charset charset) throws CharacterCodingException {
        if (bytes.length == 0) {
            return "";
        }
        if (charset == StandardCharsets.UTF_8) {
            int malformed = malformedUtf8Length(bytes);
            if (malformed > 0) {
                throw new MalformedInputException(malformed);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (charset == StandardCharsets.ISO_8859_1) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        if (charset == StandardCharsets.US_ASCII) {
            for (byte b : bytes) {
                if (b < 0) {
                    throw new MalformedInputException(1);
                }
            }
            return new String(bytes, StandardCharsets.US_ASCII);
        }
        CharsetDecoder decoder = charset.newDecoder();
        char[] chars = new char[(int) (bytes.length * (double) decoder.maxCharsPerByte())];
        CharBuffer out = CharBuffer.wrap(chars);
        CoderResult result = decoder.decode(ByteBuffer.wrap(bytes), out, true);
        if (!result.isUnderflow()) {
            result.throwException();
        }
        result = decoder.flush(out);
        if (!result.isUnderflow()) {
            result.throwException();
        }
        return new String(chars, 0, out.position());
    }

    /** {@code text} encoded as {@code Files.writeString} encodes it. */
    static byte[] encode(String text, Charset charset) throws CharacterCodingException {
        if (charset == StandardCharsets.UTF_8) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    throw new UnmappableCharacterException(1);
                }
            }
            return text.getBytes(StandardCharsets.UTF_8);
        }
        boolean latin1 = isLatin1(text); // how the JDK stores the string, which picks its path
        if (charset == StandardCharsets.ISO_8859_1) {
            if (!latin1) {
                throw new UnmappableCharacterException(1);
            }
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }
        if (charset == StandardCharsets.US_ASCII && latin1) {
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) >= 0x80) {
                    throw new UnmappableCharacterException(1);
                }
            }
            return text.getBytes(StandardCharsets.US_ASCII);
        }
        CharsetEncoder encoder = charset.newEncoder();
        byte[] bytes = new byte[(int) (text.length() * (double) encoder.maxBytesPerChar())];
        if (text.isEmpty()) {
            return bytes;
        }
        ByteBuffer out = ByteBuffer.wrap(bytes);
        CoderResult result = encoder.encode(CharBuffer.wrap(text), out, true);
        if (!result.isUnderflow()) {
            result.throwException();
        }
        result = encoder.flush(out);
        if (!result.isUnderflow()) {
            result.throwException();
        }
        return out.position() == bytes.length ? bytes : Arrays.copyOf(bytes, out.position());
    }

    /** Whether every char fits in a byte: the JDK then keeps the string in Latin-1 (compact strings). */
    private static boolean isLatin1(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xff) {
                return false;
            }
        }
        return true;
    }

    /**
     * The length the JDK's strict UTF-8 decoding reports for the first malformed sequence in
     * {@code bytes}, or 0 when they are well formed. Its rules: a two-byte lead (not an overlong
     * {@code C0}/{@code C1}) needs a continuation byte; a three-byte sequence must not be overlong
     * nor a surrogate, and is reported whole (3), or as 2 or 1 when the input ends inside it; a
     * four-byte sequence must be a supplementary code point, and is reported whole (4), or as 1 when
     * the input ends inside it; any other byte at or above {@code 0x80} is malformed alone.
     */
    static int malformedUtf8Length(byte[] bytes) {
        int sp = 0;
        int sl = bytes.length;
        while (sp < sl) {
            int b1 = bytes[sp++];
            if (b1 >= 0) {
                continue;
            }
            if ((b1 >> 5) == -2 && (b1 & 0x1e) != 0) {
                if (sp < sl && !isNotContinuation(bytes[sp++])) {
                    continue;
                }
                return 1;
            }
            if ((b1 >> 4) == -2) {
                if (sp + 1 < sl) {
                    int b2 = bytes[sp++];
                    int b3 = bytes[sp++];
                    if (isMalformed3(b1, b2, b3) || Character.isSurrogate(decode3(b1, b2, b3))) {
                        return 3;
                    }
                    continue;
                }
                if (sp < sl && isMalformed3Prefix(b1, bytes[sp])) {
                    return 2;
                }
                return 1;
            }
            if ((b1 >> 3) == -2) {
                if (sp + 2 < sl) {
                    int b2 = bytes[sp++];
                    int b3 = bytes[sp++];
                    int b4 = bytes[sp++];
                    if (isNotContinuation(b2) || isNotContinuation(b3) || isNotContinuation(b4)
                            || !Character.isSupplementaryCodePoint(decode4(b1, b2, b3, b4))) {
                        return 4;
                    }
                    continue;
                }
                return 1;
            }
            return 1;
        }
        return 0;
    }

    private static boolean isNotContinuation(int b) {
        return (b & 0xc0) != 0x80;
    }

    /** An overlong {@code E0} sequence, or a byte that does not continue one. */
    private static boolean isMalformed3(int b1, int b2, int b3) {
        return (b1 == (byte) 0xe0 && (b2 & 0xe0) == 0x80) || isNotContinuation(b2) || isNotContinuation(b3);
    }

    private static boolean isMalformed3Prefix(int b1, int b2) {
        return (b1 == (byte) 0xe0 && (b2 & 0xe0) == 0x80) || isNotContinuation(b2);
    }

    private static char decode3(int b1, int b2, int b3) {
        return (char) (((b1 & 0x0f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f));
    }

    private static int decode4(int b1, int b2, int b3, int b4) {
        return ((b1 & 0x07) << 18) | ((b2 & 0x3f) << 12) | ((b3 & 0x3f) << 6) | (b4 & 0x3f);
    }
}
