package io.paylink.gateway.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** RFC 9457 problem details with the gateway's extensions {@code code}, {@code requestId} and {@code violations}. */
// native image: also the entity of ResendResource's untyped Response, which no signature names
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance,
        String code, String requestId, List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";

    static Problem of(ProblemCode code, String detail, String instance, String requestId, List<Violation> violations) {
        return new Problem(code.type(), code.title(), code.status(), detail, instance, code.name(), requestId, violations);
    }
}
