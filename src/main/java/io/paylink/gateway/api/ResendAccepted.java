package io.paylink.gateway.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The 202 answer: which order and which channels Front Payment accepted the resend for. */
// native image: the entity of ResendResource's untyped Response, which no signature names
@RegisterForReflection
@Schema(description = "Front Payment accepted the resend")
public record ResendAccepted(
        @Schema(required = true, description = "The order id from the path", examples = "ODR347888404") String orderUuid,
        @Schema(required = true, description = "What was sent: SMS, EMAIL or both", examples = "[\"SMS\", \"EMAIL\"]")
        List<String> channels) {
}
