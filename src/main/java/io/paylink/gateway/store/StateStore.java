package io.paylink.gateway.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.mutiny.Uni;

/**
 * The gateway's only shared state: idempotency records and resend counts. Every operation is
 * atomic, so that gateway instances sharing one store behave like one gateway. State is kept per
 * tenant: one tenant's traffic never evicts another's, and in Redis one tenant's keys share a hash
 * slot, so that a reservation over several counters works on a cluster. A failing or too slow store
 * fails the Uni; callers fail closed. So does a tenant's full share of the memory store
 * ({@link StoreFullException}, from {@link #claim} and {@link #reserve} only): it refuses a new
 * entry rather than evict one, because an evicted claim or answer lets a retry send again.
 */
public interface StateStore {

    /**
     * Claims {@code key} with an in-flight record. Empty when this caller won the claim; otherwise
     * the record already holding the key (in flight or completed).
     */
    Uni<Optional<IdempotencyRecord>> claim(String tenant, String key, IdempotencyRecord inFlight, Duration ttl);

    /**
     * Replaces the in-flight record under {@code key} with {@code completed}, only while the claim of
     * {@code completed.owner()} still holds the key. False when it does not (expired, or claimed anew).
     */
    Uni<Boolean> save(String tenant, String key, IdempotencyRecord completed, Duration ttl);

    /** Frees {@code key}, only while {@code owner}'s claim still holds it. False when it does not. */
    Uni<Boolean> release(String tenant, String key, String owner);

    /**
     * Records one attempt under every counter if none of them already holds its limit within the
     * sliding window; all or nothing. Empty when recorded, otherwise how long until a slot frees up.
     */
    Uni<Optional<Duration>> reserve(String tenant, List<Counter> counters, Duration window, String attemptId);

    /** Takes back an attempt recorded by {@link #reserve}. */
    Uni<Void> refund(String tenant, List<Counter> counters, String attemptId);

    /** For the wellness check: whether the store answers. */
    Uni<Boolean> isReachable();

    /** Whether the latest call was answered in time (the {@code gateway.state.store.up} gauge). */
    boolean answering();

    /** {@code key} is relative to the tenant, e.g. {@code order:ODR1}. */
    record Counter(String key, int limit) {
    }
}
