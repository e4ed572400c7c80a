package io.paylink.gateway.store;

import java.util.List;

import io.paylink.gateway.problem.Violation;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What an idempotency key holds: the fingerprint of the request that claimed it and, once
 * Front Payment answered, that answer. Stored as JSON in Redis.
 */
@RegisterForReflection
public record IdempotencyRecord(String fingerprint, Answer answer) {

    public static IdempotencyRecord inFlight(String fingerprint) {
        return new IdempotencyRecord(fingerprint, null);
    }

    public boolean completed() {
        return answer != null;
    }

    /** Whether this record holds the final answer to exactly this request. */
    public boolean answers(String requestFingerprint) {
        return completed() && fingerprint.equals(requestFingerprint);
    }

    /** 202 (code null), or the problem Front Payment's answer became. */
    @RegisterForReflection
    public record Answer(int status, String code, String detail, List<Violation> violations) {
    }
}
