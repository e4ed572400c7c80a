package io.paylink.gateway.store;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.paylink.gateway.problem.Violation;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What an idempotency key holds: the claim's owner (a random id per claim, so that only the request
 * that claimed the key can complete or free it), the fingerprint of the request that claimed it (and,
 * while the hash secret is rotated, its fingerprint under the previous secret too, so that instances
 * that have only that one still recognise the request) and, once the outcome is known, the answer to replay. While in flight it also holds its lease (until
 * when, in the store's own clock, its holder is presumed alive) and whether the call may have left
 * for Front Payment ({@code sending}): a lapsed lease of a sending claim turns into the
 * unknown-outcome answer, a lapsed lease of a claim that never sent may be taken over.
 * <p>
 * Stored as JSON in Redis, where scripts read and rewrite in-flight records: absent fields are left
 * out (Lua's JSON would turn an empty list into an object). Unknown fields are ignored so that a
 * newer instance's records stay readable during a rolling upgrade. Holds no contact in clear: the
 * fingerprints are keyed hashes (pseudonym.Pseudonyms).
 */
// native image: written to and read from Redis as JSON by the store, outside any REST signature
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IdempotencyRecord(String owner, String fingerprint, String previousFingerprint, Boolean sending, Long leaseUntil,
        Answer answer) {

    /** {@code previousFingerprint}: null unless a previous hash secret is configured. */
    public static IdempotencyRecord inFlight(String owner, String fingerprint, String previousFingerprint) {
        return new IdempotencyRecord(owner, fingerprint, previousFingerprint, null, null, null);
    }

    /** The stored outcome; the lease and the sending mark are over once it is known. */
    public IdempotencyRecord completedWith(Answer answer) {
        return new IdempotencyRecord(owner, fingerprint, previousFingerprint, null, null, answer);
    }

    IdempotencyRecord leasedUntil(long until) {
        return new IdempotencyRecord(owner, fingerprint, previousFingerprint, sending, until, answer);
    }

    IdempotencyRecord markedSending(long until) {
        return new IdempotencyRecord(owner, fingerprint, previousFingerprint, true, until, answer);
    }

    public boolean completed() {
        return answer != null;
    }

    public boolean mayHaveSent() {
        return Boolean.TRUE.equals(sending);
    }

    /** The answer to replay: 202 (code null) or a problem. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Answer(int status, String code, String detail, List<Violation> violations) {

        /** An empty list is left out of the JSON, so it reads back as absent. */
        public Answer {
            violations = violations == null ? List.of() : List.copyOf(violations);
        }
    }
}
