package dev.ringpark.benchmarks.report;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonTest {
    @Test
    void readsObjectsArraysNumbersStringsAndLiterals() {
        Object parsed = Json.parse("""
                {"name": "a \\"quoted\\" \\u00b5s\\n", "values": [1, -2.5, 3e3, true, false, null], "empty": {}}""");
        Map<?, ?> object = (Map<?, ?>) parsed;
        assertEquals("a \"quoted\" µs\n", object.get("name"));
        assertEquals(Arrays.asList(1.0, -2.5, 3000.0, true, false, null), object.get("values"));
        assertEquals(Map.of(), object.get("empty"));
        assertEquals(List.of("name", "values", "empty"), List.copyOf(object.keySet()), "document order");
    }

    @Test
    void skipsWhatFioPrintsBeforeItsJson() {
        assertEquals(List.of(1.0), Json.parse("fio: job warning\n[1]"));
    }

    @Test
    void keepsJmhNotANumberAsAString() {
        assertEquals(Map.of("score", "NaN"), Json.parse("{\"score\" : \"NaN\"}"));
        assertNull(((Map<?, ?>) Json.parse("{\"a\": null}")).get("a"));
    }

    @Test
    void refusesMalformedDocumentsSayingWhere() {
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1} trailing"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, }"));
        assertEquals("expected a member name at character 1",
                assertThrows(IllegalArgumentException.class, () -> Json.parse("{1: 2}")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("no json here"));
    }
}
