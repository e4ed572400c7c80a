package io.paylink.gateway.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One field error; {@code field} is absent when the error concerns the request as a whole. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Violation(String field, String message) {
}
