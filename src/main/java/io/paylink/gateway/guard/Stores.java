package io.paylink.gateway.guard;

import java.time.Duration;
import java.util.List;

import org.jboss.logging.Logger;

import io.paylink.gateway.problem.ProblemCode;
import io.paylink.gateway.problem.ProblemException;
import io.smallrye.mutiny.Uni;

/** How guards treat a failing state store. */
final class Stores {

    private static final Logger LOG = Logger.getLogger(Stores.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private Stores() {
    }

    /** Without the store nothing can be checked, so nothing is sent: never a duplicate or an unlimited SMS. */
    static <T> Uni<T> failClosed(Uni<T> operation) {
        return operation.onFailure(failure -> !(failure instanceof ProblemException)).transform(failure -> {
            LOG.errorf("State store failed: %s", failure.getClass().getSimpleName());
            return new ProblemException(ProblemCode.STORE_UNAVAILABLE,
                    "The gateway cannot check idempotency keys and resend limits right now; nothing was sent",
                    List.of(), RETRY_AFTER);
        });
    }

    static Uni<Void> logAndIgnore(Uni<Void> operation, String what) {
        return operation.onFailure().recoverWithUni(failure -> {
            LOG.errorf("State store failed, %s: %s", what, failure.getClass().getSimpleName());
            return Uni.createFrom().voidItem();
        });
    }
}
