package org.allocator4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuiteJsonTest {
    /** Writes a string as JSON, escaping what must be escaped and some that may be. */
    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    @Property
    void parse_anyQuotedString_givesTheStringBack(@ForAll String s) {
        assertEquals(s, SuiteJson.parse(quote(s)));
    }

    @Property
    void parse_anyFiniteDouble_givesTheNumberBack(@ForAll double d) {
        if (Double.isFinite(d)) {
            assertEquals(d, SuiteJson.parse(Double.toString(d)));
        }
    }

    @Test
    void parse_nestedDocument_keepsStructureAndMemberOrder() {
        Object value = SuiteJson.parse(" {\"b\": [1, -2.5e3, true, false, null], \"a\": {\"x\": \"\\u00e9\\/\"}} ");
        Map<?, ?> object = (Map<?, ?>) value;
        assertEquals(List.of("b", "a"), List.copyOf(object.keySet()));
        List<?> array = (List<?>) object.get("b");
        assertEquals(1.0, array.get(0));
        assertEquals(-2500.0, array.get(1));
        assertEquals(Boolean.TRUE, array.get(2));
        assertEquals(Boolean.FALSE, array.get(3));
        assertNull(array.get(4));
        assertEquals("\u00e9/", ((Map<?, ?>) object.get("a")).get("x"));
        assertEquals(List.of(), SuiteJson.parse("[]"));
        assertEquals(Map.of(), SuiteJson.parse("{}"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[1, 2        | offset=5: expected ',' or ']'",
            "{\"a\" 1}    | offset=5: expected ':'",
            "{a: 1}       | offset=1: expected a member name in double quotes",
            "[01]         | offset=1: expected a number",
            "\"abc        | offset=4: expected a closing '\"'",
            "tru          | offset=0: expected true",
            "[1] x        | offset=4: expected end of input",
            "\"\\x\"      | offset=2: expected one of",
            "''           | offset=0: expected a value"})
    void parse_malformed_throwsNamingOffsetAndExpectation(String text, String message) {
        String json = text.equals("''") ? "" : text;
        var e = assertThrows(IllegalArgumentException.class, () -> SuiteJson.parse(json));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void number_jmhNotANumberString_isNaN() {
        assertTrue(Double.isNaN(SuiteJson.number("NaN")));
        assertEquals(2.0, SuiteJson.number(2.0));
        var e = assertThrows(IllegalArgumentException.class, () -> SuiteJson.number("12"));
        assertTrue(e.getMessage().contains("value=12"), e.getMessage());
    }
}
