package io.paylink.gateway.guard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.paylink.gateway.GatewayConfig;
import io.paylink.gateway.outcome.Outcome;
import io.paylink.gateway.problem.ProblemCode;
import io.paylink.gateway.pseudonym.Pseudonyms;
import io.paylink.gateway.store.StateStore;
import io.paylink.gateway.store.StateStore.Counter;
import io.paylink.gateway.tenant.Tenant;
import io.smallrye.mutiny.Uni;

/**
 * Anti-abuse limits per tenant: resends of one order, and messages to one destination (E.164 number
 * or lower-cased e-mail), within a sliding window. Destinations are stored as keyed hashes
 * (pseudonym.Pseudonyms), never in clear.
 */
@ApplicationScoped
public class ResendLimits {

    /** A refund matters while its window lasts; a store down for longer than this has bigger problems than one attempt. */
    private static final Duration SETTLE_WITHIN = Duration.ofMinutes(1);

    private final StateStore store;
    private final Pseudonyms pseudonyms;
    private final GatewayConfig.ResendLimit config;

    ResendLimits(StateStore store, Pseudonyms pseudonyms, GatewayConfig config) {
        this.store = store;
        this.pseudonyms = pseudonyms;
        this.config = config.resendLimit();
    }

    /**
     * While the hash secret is rotated a destination is counted under both its names, all or
     * nothing: instances that have only the old secret count under the old name, so that name sees
     * every attempt, and the new name has seen every attempt once all instances have had both for a window.
     */
    public List<Counter> counters(String orderUuid, List<String> destinations) {
        List<Counter> counters = new ArrayList<>(5);
        counters.add(new Counter("limit:order:" + orderUuid, config.perOrder()));
        destinations.forEach(destination -> pseudonyms.of(destination).all().forEach(
                name -> counters.add(new Counter("limit:dest:" + name, config.perDestination()))));
        return counters;
    }

    /**
     * Counts this attempt (no Retry-After), or tells how long until the limits let it through; fails when the
     * store does, and then takes the attempt back in the background in case it was counted after all.
     */
    public Uni<StateStore.Reservation> reserve(Tenant tenant, List<Counter> counters, String attemptId) {
        return store.reserve(tenant.id(), counters, config.window(), attemptId)
                .onFailure(Stores::mayHaveLanded).invoke(() -> Stores.settleInBackground(() -> store.refund(tenant.id(), counters, attemptId),
                        SETTLE_WITHIN, "taking back a resend attempt whose reservation failed"));
    }

    public Outcome rejected(Duration wait) {
        return new Outcome.Rejected(Outcome.Answer.problem(ProblemCode.RESEND_RATE_LIMITED,
                "Resend limit reached: at most " + config.perOrder() + " per order and " + config.perDestination()
                        + " per phone number or e-mail within " + config.window() + "; nothing was sent", wait));
    }

    /** Attempts that provably never reached Front Payment do not count; a failed refund is retried in the background. */
    public Uni<Void> refund(Tenant tenant, List<Counter> counters, String attemptId) {
        return store.refund(tenant.id(), counters, attemptId).onFailure().recoverWithUni(failure -> {
            Stores.settleInBackground(() -> store.refund(tenant.id(), counters, attemptId), SETTLE_WITHIN,
                    "refunding a resend attempt");
            return Uni.createFrom().voidItem();
        });
    }
}
