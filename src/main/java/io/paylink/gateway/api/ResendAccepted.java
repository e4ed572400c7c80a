package io.paylink.gateway.api;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The 202 answer: which order and which channels Front Payment accepted the resend for. */
// native image: the entity of ResendResource's untyped Response, which no signature names
@RegisterForReflection
public record ResendAccepted(String orderUuid, List<String> channels) {
}
