package io.paylink.gateway.guard;

import java.time.Duration;

import org.jboss.logging.Logger;

import io.paylink.gateway.outcome.Outcome;
import io.paylink.gateway.problem.ProblemCode;
import io.paylink.gateway.store.StoreFullException;
import io.smallrye.mutiny.Uni;

/** How guards treat a state store that fails, is too slow, or has no room left for the tenant. */
final class Stores {

    private static final Logger LOG = Logger.getLogger(Stores.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    /**
     * A full share gets room back as its entries expire or its claims are freed. The shortest-lived
     * entry, a claim in flight, lives at least a minute, so asking again sooner mostly buys another
     * refusal; which entry expires first is not tracked, so this is a hint, not a promise.
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

    static <T> Uni<T> logAndIgnore(Uni<T> operation, String what) {
        return operation.onFailure().recoverWithUni(failure -> {
            LOG.errorf("State store failed, %s: %s", what, failure.getClass().getSimpleName());
            return Uni.createFrom().nullItem();
        });
    }
}
