package io.paylink.gateway.problem;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One field error; {@code field} is absent when the error concerns the request as a whole. */
// native image: nested in Problem and in stored IdempotencyRecords
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Violation(
        @Schema(description = "The body member, absent when the rule concerns the whole body", examples = "phone") String field,
        @Schema(required = true, examples = "must be a mobile number in international format, e.g. +47 912 34 567") String message) {
}
