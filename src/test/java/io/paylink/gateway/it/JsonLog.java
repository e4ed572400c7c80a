package io.paylink.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The prod app's log: one JSON object per line. */
final class JsonLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLog() {
    }

    /** Every line parsed; a line that is not a JSON object fails the test. */
    static List<JsonNode> parse(List<String> lines) {
        List<JsonNode> entries = new ArrayList<>();
        for (String line : lines) {
            try {
                JsonNode entry = JSON.readTree(line);
                assertTrue(entry != null && entry.isObject(), () -> "not a JSON object: " + line);
                entries.add(entry);
            } catch (JsonProcessingException e) {
                fail("not a JSON log line: " + line, e);
            }
        }
        return entries;
    }

    /** The start: every entry up to Quarkus' "Installed features" line, which must be there. */
    static List<JsonNode> start(List<JsonNode> entries) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).path("message").asText().startsWith("Installed features")) {
                return entries.subList(0, i + 1);
            }
        }
        return fail("no \"Installed features\" line: the app did not start");
    }

    /** A clean start says nothing above INFO. */
    static void assertNoWarningOrError(List<JsonNode> entries) {
        List<String> loud = entries.stream()
                .filter(entry -> !List.of("INFO", "DEBUG", "TRACE").contains(entry.path("level").asText()))
                .map(JsonNode::toString)
                .toList();
        assertEquals(List.of(), loud);
    }
}
