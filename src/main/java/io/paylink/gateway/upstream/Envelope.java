package io.paylink.gateway.upstream;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.paylink.gateway.problem.Violation;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Front Payment's answer envelope. {@code errors} is documented only as "Array": real answers
 * carry a list, an object of field to messages, a string or null, so it stays a tree here.
 */
// native image: error bodies are read by hand (UpstreamFailure.of), outside any REST signature
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record Envelope(
        @JsonProperty("status_code") Integer statusCode,
        @JsonProperty("status_message") String statusMessage,
        String message,
        @JsonProperty("is_data") Boolean isData,
        @JsonProperty("is_error") Boolean isError,
        JsonNode data,
        JsonNode errors) {

    /**
     * Lenient on purpose, unlike the mapper for callers' bodies: the provider's envelopes are
     * inconsistent, and reading them must not fail on an extra field or a number where text was expected.
     */
    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** Upstream text is echoed to callers, so it is capped: a broken upstream must not flood them. */
    private static final int MAX_VIOLATIONS = 20;
    private static final int MAX_MESSAGE_LENGTH = 300;

    /** {@code message} without case, spaces or underscores: the provider spells its codes several ways. */
    String normalizedMessage() {
        return message == null ? "" : message.replaceAll("[\\s_-]", "").toLowerCase();
    }

    List<Violation> violations() {
        List<Violation> out = new ArrayList<>();
        if (errors == null || errors.isNull() || errors.isMissingNode()) {
            return out;
        }
        if (errors.isObject()) {
            errors.properties().forEach(field -> addMessages(out, field.getKey(), field.getValue()));
        } else {
            addMessages(out, null, errors);
        }
        return out;
    }

    private static void addMessages(List<Violation> out, String field, JsonNode node) {
        if (node.isArray()) {
            node.forEach(element -> addMessages(out, field, element));
        } else if (node.isObject() && node.hasNonNull("message")) {
            addMessage(out, node.hasNonNull("field") ? node.get("field").asText() : field, node.get("message").asText());
        } else if (!node.isNull()) {
            addMessage(out, field, node.isValueNode() ? node.asText() : node.toString());
        }
    }

    private static void addMessage(List<Violation> out, String field, String message) {
        if (out.size() < MAX_VIOLATIONS) {
            out.add(new Violation(field, message.length() > MAX_MESSAGE_LENGTH ? message.substring(0, MAX_MESSAGE_LENGTH) : message));
        }
    }
}
