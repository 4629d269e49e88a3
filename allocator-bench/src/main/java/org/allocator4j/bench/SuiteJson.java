package org.allocator4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader (RFC 8259), enough for JMH's result files: objects become {@link LinkedHashMap}s
 * (member order kept), arrays {@link List}s, numbers {@link Double}s, strings {@link String}s, and
 * {@code true}/{@code false}/{@code null} themselves.
 */
final class SuiteJson {
    private final String text;
    private int position;

    private SuiteJson(String text) {
        this.text = text;
    }

    /**
     * Parses one JSON value that makes up all of {@code text} (white space around it allowed).
     *
     * @throws IllegalArgumentException if {@code text} is not JSON; the message names the offset and
     *         what was expected there
     */
    static Object parse(String text) {
        SuiteJson reader = new SuiteJson(text);
        reader.skipSpace();
        Object value = reader.value();
        reader.skipSpace();
        if (reader.position != text.length()) {
            throw reader.error("end of input");
        }
        return value;
    }

    /**
     * {@return a JSON number as a double; JMH writes {@code "NaN"} and {@code "Infinity"} as strings}
     *
     * @throws IllegalArgumentException if {@code value} is neither a number nor such a string
     */
    static double number(Object value) {
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof String s && (s.equals("NaN") || s.endsWith("Infinity"))) {
            return Double.parseDouble(s);
        }
        throw new IllegalArgumentException("value=" + value + "; expected a number");
    }

    private Object value() {
        if (position >= text.length()) {
            throw error("a value");
        }
        char c = text.charAt(position);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("a value");
            }
        };
    }

    private Map<String, Object> object() {
        Map<String, Object> members = new LinkedHashMap<>();
        position++;
        skipSpace();
        if (peek() == '}') {
            position++;
            return members;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("a member name in double quotes");
            }
            String name = string();
            skipSpace();
            expect(':');
            skipSpace();
            members.put(name, value());
            skipSpace();
            if (peek() == ',') {
                position++;
            } else if (peek() == '}') {
                position++;
                return members;
            } else {
                throw error("',' or '}'");
            }
        }
    }

    private List<Object> array() {
        List<Object> elements = new ArrayList<>();
        position++;
        skipSpace();
        if (peek() == ']') {
            position++;
            return elements;
        }
        while (true) {
            skipSpace();
            elements.add(value());
            skipSpace();
            if (peek() == ',') {
                position++;
            } else if (peek() == ']') {
                position++;
                return elements;
            } else {
                throw error("',' or ']'");
            }
        }
    }

    private String string() {
        position++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (position >= text.length()) {
                throw error("a closing '\"'");
            }
            char c = text.charAt(position++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("no control character in a string", position - 1);
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (position >= text.length()) {
                throw error("an escape after '\\'");
            }
            char e = text.charAt(position++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (position + 4 > text.length()) {
                        throw error("4 hex digits after \\u");
                    }
                    try {
                        out.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                    } catch (NumberFormatException bad) {
                        throw error("4 hex digits after \\u");
                    }
                    position += 4;
                }
                default -> throw error("one of \" \\ / b f n r t u after '\\'", position - 1);
            }
        }
    }

    private Double number() {
        int start = position;
        if (peek() == '-') {
            position++;
        }
        int digits = position;
        while (position < text.length() && "0123456789+-.eE".indexOf(text.charAt(position)) >= 0) {
            position++;
        }
        String literal = text.substring(start, position);
        if (position == digits || !literal.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
            throw error("a number", start);
        }
        return Double.valueOf(literal);
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, position)) {
            throw error(word);
        }
        position += word.length();
        return value;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("'" + c + "'");
        }
        position++;
    }

    private char peek() {
        return position < text.length() ? text.charAt(position) : '\0';
    }

    private void skipSpace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            position++;
        }
    }

    private IllegalArgumentException error(String expected) {
        return error(expected, position);
    }

    private IllegalArgumentException error(String expected, int at) {
        String found = at >= text.length() ? "end of input"
                : "'" + text.substring(at, Math.min(text.length(), at + 10)) + "'";
        return new IllegalArgumentException("offset=" + at + ": expected " + expected + ", found " + found);
    }
}
