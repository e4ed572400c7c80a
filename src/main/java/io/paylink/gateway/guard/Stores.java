package io.paylink.gateway.guard;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.paylink.gateway.outcome.Outcome;
import io.paylink.gateway.problem.ProblemCode;
import io.smallrye.mutiny.Uni;

/** How guards treat a failing or too slow state store. */
final class Stores {

    private static final Logger LOG = Logger.getLogger(Stores.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    private static final int MAX_SETTLING = 10_000;
    private static final AtomicInteger SETTLING = new AtomicInteger();

    private Stores() {
    }

    /** Without the store nothing can be checked, so nothing is sent: never a duplicate or an unlimited SMS. */
    static Outcome unavailable(Throwable failure) {
        LOG.errorf("State store failed: %s", failure.getClass().getSimpleName());
        return new Outcome.NotSent(Outcome.Answer.problem(ProblemCode.STORE_UNAVAILABLE,
                "The gateway cannot check idempotency keys and resend limits right now; nothing was sent", RETRY_AFTER), 0);
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
