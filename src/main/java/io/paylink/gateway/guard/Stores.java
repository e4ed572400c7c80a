package io.paylink.gateway.guard;

import java.time.Duration;

import org.jboss.logging.Logger;

import io.paylink.gateway.outcome.Outcome;
import io.paylink.gateway.problem.ProblemCode;
import io.smallrye.mutiny.Uni;

/** How guards treat a failing or too slow state store. */
final class Stores {

    private static final Logger LOG = Logger.getLogger(Stores.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private Stores() {
    }

    /** Without the store nothing can be checked, so nothing is sent: never a duplicate or an unlimited SMS. */
    static Outcome unavailable(Throwable failure) {
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
