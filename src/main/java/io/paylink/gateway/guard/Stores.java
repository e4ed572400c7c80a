package io.paylink.gateway.guard;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.paylink.gateway.outcome.Outcome;
import io.paylink.gateway.problem.ProblemCode;
import io.paylink.gateway.store.StoreCallNotSent;
import io.paylink.gateway.store.StoreFullException;
import io.smallrye.mutiny.Uni;

/** How guards treat a state store that fails, is too slow, or has no room left for the tenant. */
final class Stores {

    private static final Logger LOG = Logger.getLogger(Stores.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    private static final int MAX_SETTLING = 10_000;
    private static final AtomicInteger SETTLING = new AtomicInteger();
    /**
     * A full share gets room back as claims that sent nothing are freed, counters leave their window
     * and stored answers their retention; which comes first is not tracked, so this is a hint, not a promise.
     */
    private static final Duration FULL_RETRY_AFTER = Duration.ofSeconds(60);

    private Stores() {
    }

    /** Without the store nothing can be checked, so nothing is sent: never a duplicate or an unlimited SMS. */
    static Outcome unavailable(Throwable failure) {
        if (failure instanceof StoreFullException) {
            // no log line of its own: a tenant at its bound may be refused on every request, and each
            // refusal already has its request log line and its STORE_FULL count in gateway_requests_total
            return new Outcome.NotSent(Outcome.Answer.problem(ProblemCode.STORE_FULL,
                    "This tenant's share of the gateway's idempotency and limit store is full; nothing was sent",
                    FULL_RETRY_AFTER), 0);
        }
        LOG.errorf("State store failed: %s", failure.getClass().getSimpleName());
        return new Outcome.NotSent(Outcome.Answer.problem(ProblemCode.STORE_UNAVAILABLE,
                "The gateway cannot check idempotency keys and resend limits right now; nothing was sent", RETRY_AFTER), 0);
    }

    /** Whether a failed store call may still have written something that must be undone. */
    static boolean mayHaveLanded(Throwable failure) {
        // refused as full, or never sent: either did nothing
        return !(failure instanceof StoreFullException || failure instanceof StoreCallNotSent);
    }

    /**
     * Retries a store write that must land (an outcome, a freed claim, a refunded attempt) off the
     * request path, with back-off, for at most {@code within}; logs once if it never does. Bounded in
     * number, so that a long outage cannot pile up retries without end or stampede a recovering store.
     */
    static <T> void settleInBackground(Supplier<Uni<T>> write, Duration within, String what) {
        if (SETTLING.incrementAndGet() > MAX_SETTLING) {
            SETTLING.decrementAndGet();
            LOG.errorf("State store failed, too many writes already wait for it; given up %s", what);
            return;
        }
        Uni.createFrom().deferred(write::get)
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2)).expireIn(within.toMillis())
                .eventually(SETTLING::decrementAndGet)
                .subscribe().with(done -> LOG.debugf("State store answered again, done %s", what),
                        failure -> LOG.errorf("State store failed for good, %s: %s", what, failure.getClass().getSimpleName()));
    }
}
