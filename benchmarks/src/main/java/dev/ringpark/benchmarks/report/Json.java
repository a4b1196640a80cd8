package dev.ringpark.benchmarks.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader for JMH's and fio's result files: objects become {@link Map}s (in document
 * order), arrays {@link List}s, numbers {@link Double}s, and strings, booleans and {@code null}
 * themselves. Anything before the first {@code '{'} or {@code '['} is skipped, since fio may print a
 * warning line ahead of its JSON.
 */
final class Json {
    private final String text;
    private int at;

    private Json(String text) {
        this.text = text;
    }

    /**
     * Parses one JSON document.
     *
     * @throws IllegalArgumentException if the text is not well-formed JSON, saying where
     */
    static Object parse(String text) {
        Json json = new Json(text);
        int start = firstContainer(text);
        if (start < 0) {
            throw new IllegalArgumentException("no JSON object or array in the text");
        }
        json.at = start;
        Object value = json.value();
        json.skipWhitespace();
        if (json.at != text.length()) {
            throw json.error("text after the JSON document");
        }
        return value;
    }

    private static int firstContainer(String text) {
        for (int index = 0; index < text.length(); index++) {
            char c = text.charAt(index);
            if (c == '{' || c == '[') {
                return index;
            }
        }
        return -1;
    }

    private Object value() {
        skipWhitespace();
        if (at >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Map<String, Object> object() {
        Map<String, Object> members = new LinkedHashMap<>();
        at++; // '{'
        if (consume('}')) {
            return members;
        }
        do {
            skipWhitespace();
            if (at >= text.length() || text.charAt(at) != '"') {
                throw error("expected a member name");
            }
            String name = string();
            expect(':');
            members.put(name, value());
        } while (consume(','));
        expect('}');
        return members;
    }

    private List<Object> array() {
        List<Object> elements = new ArrayList<>();
        at++; // '['
        if (consume(']')) {
            return elements;
        }
        do {
            elements.add(value());
        } while (consume(','));
        expect(']');
        return elements;
    }

    private String string() {
        StringBuilder result = new StringBuilder();
        at++; // opening quote
        while (true) {
            if (at >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return result.toString();
            }
            if (c != '\\') {
                result.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw error("unterminated escape");
            }
            char escaped = text.charAt(at++);
            switch (escaped) {
                case '"', '\\', '/' -> result.append(escaped);
                case 'b' -> result.append('\b');
                case 'f' -> result.append('\f');
                case 'n' -> result.append('\n');
                case 'r' -> result.append('\r');
                case 't' -> result.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw error("short \\u escape");
                    }
                    result.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                }
                default -> throw error("unknown escape \\" + escaped);
            }
        }
    }

    private Double number() {
        int start = at;
        while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
        if (start == at) {
            throw error("unexpected character '" + text.charAt(at) + "'");
        }
        try {
            return Double.valueOf(text.substring(start, at));
        } catch (NumberFormatException e) {
            throw error("malformed number " + text.substring(start, at));
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, at)) {
            throw error("expected " + word);
        }
        at += word.length();
        return value;
    }

    private boolean consume(char expected) {
        skipWhitespace();
        if (at < text.length() && text.charAt(at) == expected) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(char expected) {
        if (!consume(expected)) {
            throw error("expected '" + expected + "'");
        }
    }

    private void skipWhitespace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private IllegalArgumentException error(String problem) {
        return new IllegalArgumentException(problem + " at character " + at);
    }
}
