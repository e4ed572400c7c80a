package io.paylink.gateway.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One field error; {@code field} is absent when the error concerns the request as a whole. */
// native image: nested in Problem and in stored IdempotencyRecords
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Violation(String field, String message) {
}
