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
     * Claims {@code key} with an in-flight record leased for {@code lease} and kept for
     * {@code retention}. Empty when this caller now holds the key; otherwise what holds it. A holder
     * whose lease lapsed is presumed dead: if it never {@linkplain #markSending marked} its send, the
     * key is taken over by this caller; if it did, the call may have reached Front Payment and its
     * outcome is lost, so the record becomes {@code unknown} for good (and is what this caller gets).
     */
    Uni<Optional<Held>> claim(String tenant, String key, IdempotencyRecord inFlight, Duration lease, Duration retention,
            IdempotencyRecord.Answer unknown);

    /**
     * Marks {@code owner}'s claim as about to send, with a fresh lease: from now on a lapsed lease
     * means "may have sent". False (and the caller must not send) when the claim is no longer
     * {@code owner}'s or is completed.
     */
    Uni<Boolean> markSending(String tenant, String key, String owner, Duration lease);

    /**
     * Stores {@code completed} under {@code key} while {@code completed.owner()}'s claim holds it, or
     * when no record is there at all (the store lost it: the outcome must still be kept). False when
     * another record holds the key (another owner's claim, or a stored answer).
     */
    Uni<Boolean> save(String tenant, String key, IdempotencyRecord completed, Duration retention);

    /** Frees {@code key}, only while {@code owner}'s claim still holds it, uncompleted. False when it does not. */
    Uni<Boolean> release(String tenant, String key, String owner);

    /**
     * Records one attempt under every counter if none of them already holds its limit within its
     * sliding window ({@code window} for counters without their own); all or nothing. Its retryAfter is
     * empty when recorded, otherwise how long until a slot of every full counter frees up.
     */
    Uni<Reservation> reserve(String tenant, List<Counter> counters, Duration window, String attemptId);

    /**
     * Takes back an attempt recorded by {@link #reserve}; a second refund of it, or one of an attempt
     * never recorded, does nothing. A sliced counter only remembers attempts for {@link #REFUND_HORIZON}.
     */
    Uni<Void> refund(String tenant, List<Counter> counters, String attemptId);

    /** For the wellness check: whether the store answers. */
    Uni<Boolean> isReachable();

    /** Whether the latest call was answered in time (the {@code gateway.state.store.up} gauge). */
    boolean answering();

    /** An in-flight or completed record, and how long the in-flight one's lease still runs (zero when completed). */
    record Held(IdempotencyRecord record, Duration leaseLeft) {
    }

    /**
     * How long a sliced counter remembers which attempt it counted in which slice, so that a refund
     * frees the right one: far longer than a call and the background retries of its refund take.
     */
    Duration REFUND_HORIZON = Duration.ofMinutes(10);

    /**
     * {@code key} is relative to the tenant, e.g. {@code order:ODR1}; {@code window} null for the
     * reservation's. With {@code slices} 0 each attempt is kept (exact, one entry per attempt: for
     * small limits). Otherwise attempts are counted in {@code slices} equal slices of the window, so
     * that a large limit (a tenant's day budget) costs a few numbers however many attempts it holds,
     * plus the attempts of the last {@link #REFUND_HORIZON}; an attempt then counts for between one
     * window and one window plus one slice.
     */
    record Counter(String key, int limit, Duration window, int slices) {
        public Counter {
            if (slices > 0 && window == null) {
                throw new IllegalArgumentException("a sliced counter has its own window");
            }
        }

        public Counter(String key, int limit) {
            this(key, limit, null, 0);
        }

        public Duration windowOr(Duration reservationWindow) {
            return window == null ? reservationWindow : window;
        }

        /** Length of one slice in milliseconds; only for a sliced counter. */
        public long sliceMillis() {
            return Math.max(1, window.toMillis() / slices);
        }
    }

    /**
     * @param retryAfter empty when the attempt was recorded
     * @param used per counter, in order, the attempts within its window: with this one when it was
     *        recorded, without it when refused
     */
    record Reservation(Optional<Duration> retryAfter, List<Integer> used) {
    }
}
