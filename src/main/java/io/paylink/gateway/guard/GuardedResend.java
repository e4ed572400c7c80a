package io.paylink.gateway.guard;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.paylink.gateway.Exchange;
import io.paylink.gateway.store.StateStore.Counter;
import io.paylink.gateway.tenant.Tenant;
import io.paylink.gateway.upstream.FrontPayment;
import io.paylink.gateway.upstream.ResendBody;
import io.paylink.gateway.upstream.UpstreamFailure;
import io.smallrye.mutiny.Uni;

/**
 * The order of the guards around one resend: idempotency key (replay or claim), resend limits,
 * then the fault-tolerant upstream call. Completes with Front Payment's 2xx status (0 for a replay)
 * or fails with the problem to answer.
 */
@ApplicationScoped
public class GuardedResend {

    private final Idempotency idempotency;
    private final ResendLimits limits;
    private final FrontPayment frontPayment;
    private final Exchange exchange;

    GuardedResend(Idempotency idempotency, ResendLimits limits, FrontPayment frontPayment, Exchange exchange) {
        this.idempotency = idempotency;
        this.limits = limits;
        this.frontPayment = frontPayment;
        this.exchange = exchange;
    }

    public Uni<Integer> resend(Tenant tenant, String orderUuid, Optional<String> idempotencyKey, ResendBody body,
            List<String> destinations) {
        if (idempotencyKey.isEmpty()) {
            return limited(tenant, orderUuid, body, destinations);
        }
        String key = idempotency.key(tenant, idempotencyKey.get());
        String fingerprint = idempotency.fingerprint(orderUuid, body);
        String owner = UUID.randomUUID().toString();
        return idempotency.claim(tenant, key, owner, fingerprint).flatMap(held -> {
            if (held.isPresent()) {
                if (held.get().completed() && held.get().fingerprint().equals(fingerprint)) {
                    exchange.replayed();
                }
                return idempotency.replay(held.get(), fingerprint).replaceWith(0);
            }
            return limited(tenant, orderUuid, body, destinations)
                    .onItemOrFailure().call((status, failure) -> idempotency.finish(tenant, key, owner, fingerprint, failure));
        });
    }

    private Uni<Integer> limited(Tenant tenant, String orderUuid, ResendBody body, List<String> destinations) {
        List<Counter> counters = limits.counters(tenant, orderUuid, destinations);
        String attemptId = UUID.randomUUID().toString();
        return limits.reserve(tenant, counters, attemptId)
                .flatMap(reserved -> frontPayment.resend(tenant, orderUuid, body))
                .onFailure(GuardedResend::neverReachedFrontPayment).call(failure -> limits.refund(tenant, counters, attemptId));
    }

    /** Limits count messages that may have gone out; an unreachable upstream, open breaker or full bulkhead sent none. */
    private static boolean neverReachedFrontPayment(Throwable failure) {
        return !(failure instanceof UpstreamFailure upstream) || !upstream.mayHaveReachedFrontPayment();
    }
}
