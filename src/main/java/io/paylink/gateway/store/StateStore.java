package io.paylink.gateway.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.mutiny.Uni;

/**
 * The gateway's only shared state: idempotency records and resend counts. Every operation is
 * atomic, so that gateway instances sharing one store behave like one gateway. A failing store
 * fails the Uni; callers fail closed.
 */
public interface StateStore {

    /**
     * Claims {@code key} with an in-flight record. Empty when this caller won the claim; otherwise
     * the record already holding the key (in flight or completed).
     */
    Uni<Optional<IdempotencyRecord>> claim(String key, IdempotencyRecord inFlight, Duration ttl);

    /** Replaces the record under {@code key}, typically with the completed answer. */
    Uni<Void> save(String key, IdempotencyRecord record, Duration ttl);

    Uni<Void> release(String key);

    /**
     * Records one attempt under every counter if none of them already holds its limit within the
     * sliding window; all or nothing. Empty when recorded, otherwise how long until a slot frees up.
     */
    Uni<Optional<Duration>> reserve(List<Counter> counters, Duration window, String attemptId);

    /** Takes back an attempt recorded by {@link #reserve}. */
    Uni<Void> refund(List<Counter> counters, String attemptId);

    /** For readiness: whether the store answers. */
    Uni<Boolean> isReachable();

    record Counter(String key, int limit) {
    }
}
