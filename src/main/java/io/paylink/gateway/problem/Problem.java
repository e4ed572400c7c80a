package io.paylink.gateway.problem;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** RFC 9457 problem details with the gateway's extensions {@code code}, {@code requestId} and {@code violations}. */
// native image: also the entity of ResendResource's untyped Response, which no signature names
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(description = "RFC 9457 problem details; `code` is stable and meant for programs, `title` and `detail` are for people")
public record Problem(
        @Schema(required = true, description = "urn:problem-type:resend-gateway: and the code in kebab case") String type,
        @Schema(required = true) String title,
        @Schema(required = true, description = "The HTTP status") int status,
        @Schema(required = true) String detail,
        @Schema(required = true, description = "The request path") String instance,
        // its enum comes from ProblemCode (ProblemResponsesFilter)
        @Schema(required = true) String code,
        @Schema(required = true, description = "Equals the X-Request-Id header") String requestId,
        @Schema(description = "Only with VALIDATION_FAILED") List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";

    static Problem of(ProblemCode code, String detail, String instance, String requestId, List<Violation> violations) {
        return new Problem(code.type(), code.title(), code.status(), detail, instance, code.name(), requestId, violations);
    }
}
