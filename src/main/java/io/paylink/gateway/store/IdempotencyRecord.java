package io.paylink.gateway.store;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.paylink.gateway.problem.Violation;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What an idempotency key holds: the claim's owner (a random id per claim, so that only the request
 * that claimed the key can complete or free it), the fingerprint of the request that claimed it and,
 * once the outcome is known, the answer to replay. Stored as JSON in Redis; unknown fields are
 * ignored so that a newer instance's records stay readable during a rolling upgrade. Holds no
 * contact in clear: the fingerprint is a hash.
 */
// native image: written to and read from Redis as JSON by the store, outside any REST signature
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record IdempotencyRecord(String owner, String fingerprint, Answer answer) {

    public static IdempotencyRecord inFlight(String owner, String fingerprint) {
        return new IdempotencyRecord(owner, fingerprint, null);
    }

    public IdempotencyRecord completedWith(Answer answer) {
        return new IdempotencyRecord(owner, fingerprint, answer);
    }

    public boolean completed() {
        return answer != null;
    }

    /** The answer to replay: 202 (code null) or a problem. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Answer(int status, String code, String detail, List<Violation> violations) {
    }
}
