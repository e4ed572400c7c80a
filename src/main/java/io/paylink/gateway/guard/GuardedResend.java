package io.paylink.gateway.guard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.paylink.gateway.outcome.Outcome;
import io.paylink.gateway.pseudonym.Pseudonym;
import io.paylink.gateway.store.StateStore.Counter;
import io.paylink.gateway.tenant.MessageBudget;
import io.paylink.gateway.upstream.FrontPayment;
import io.smallrye.mutiny.Uni;

/**
 * The order of the guards around one resend: Idempotency-Key (replay or claim), the tenant's SMS
 * countries, resend limits and message budgets (one reservation), then the fault-tolerant Front Payment call, which marks the claim as sending once it has its place. The result is always an {@link Outcome}, never a
 * failure, and the key and the limit attempt are settled from it.
 */
@ApplicationScoped
public class GuardedResend {

    private static final Logger LOG = Logger.getLogger(GuardedResend.class);
    private static final Uni<Optional<Outcome>> NOTHING_TO_CHECK = Uni.createFrom().item(Optional.empty());

    private final Idempotency idempotency;
    private final ResendLimits limits;
    private final TenantBudgets budgets;
    private final UpstreamFaultTolerance faultTolerance;
    private final FrontPayment frontPayment;

    GuardedResend(Idempotency idempotency, ResendLimits limits, TenantBudgets budgets, UpstreamFaultTolerance faultTolerance,
            FrontPayment frontPayment) {
        this.idempotency = idempotency;
        this.limits = limits;
        this.budgets = budgets;
        this.faultTolerance = faultTolerance;
        this.frontPayment = frontPayment;
    }

    public Uni<Outcome> resend(Resend resend) {
        Uni<Outcome> outcome = resend.idempotencyKey().isPresent() ? idempotent(resend, resend.idempotencyKey().get())
                : limited(resend, NOTHING_TO_CHECK);
        return outcome.onFailure().recoverWithItem(failure -> {
            LOG.error("Unexpected failure guarding a resend", failure);
            return Outcome.unexpected();
        });
    }

    private Uni<Outcome> idempotent(Resend resend, String header) {
        return idempotency.rejectIfInvalid(header).map(Uni.createFrom()::item).orElseGet(() -> {
            String key = idempotency.key(header);
            Pseudonym fingerprint = idempotency.fingerprint(resend.orderUuid(), resend.body());
            String owner = UUID.randomUUID().toString();
            return idempotency.claim(resend.tenant(), key, owner, fingerprint).onItemOrFailure().transformToUni((held, failure) -> {
                if (failure != null) {
                    return Uni.createFrom().item(Stores.unavailable(failure));
                }
                if (held.isPresent()) {
                    return Uni.createFrom().item(idempotency.replay(held.get(), fingerprint, resend.orderUuid(), resend.body()));
                }
                return limited(resend, idempotency.beforeSend(resend.tenant(), key, owner))
                        .call(outcome -> idempotency.finish(resend.tenant(), key, owner, fingerprint, outcome, resend.body()));
            });
        });
    }

    /**
     * {@code beforeSend}: the last check once the call has its place in the bulkhead; an outcome instead of the call.
     * The countries are checked here, after an Idempotency-Key's lookup: a stored answer of the key is
     * replayed whatever the tenant's countries are now, and the claim of a refused request is freed again.
     */
    private Uni<Outcome> limited(Resend resend, Uni<Optional<Outcome>> beforeSend) {
        Optional<Outcome> elsewhere = DestinationCountries.refuse(resend);
        if (elsewhere.isPresent()) {
            return Uni.createFrom().item(elsewhere.get());
        }
        List<Counter> resendCounters = limits.counters(resend.orderUuid(), resend.destinations());
        List<MessageBudget> spent = budgets.spentBy(resend.tenant(), resend.body());
        List<Counter> counters = new ArrayList<>(resendCounters);
        counters.addAll(budgets.counters(spent));
        String attemptId = UUID.randomUUID().toString();
        return limits.reserve(resend.tenant(), counters, attemptId).onItemOrFailure().transformToUni((reservation, failure) -> {
            if (failure != null) {
                return Uni.createFrom().item(Stores.unavailable(failure));
            }
            List<Integer> budgetsUsed = reservation.used().subList(resendCounters.size(), counters.size());
            budgets.counted(resend.tenant(), spent, budgetsUsed);
            if (reservation.retryAfter().isPresent()) {
                Duration wait = reservation.retryAfter().get();
                return Uni.createFrom().item(budgets.refused(spent, budgetsUsed, wait).orElseGet(() -> limits.rejected(wait)));
            }
            return faultTolerance.call(resend.tenant(), frontPayment.baseUrl(resend.tenant()), beforeSend,
                    () -> frontPayment.send(resend.tenant(), resend.orderUuid(), resend.body()))
                    .call(outcome -> outcome.mayHaveReachedFrontPayment() ? Uni.createFrom().voidItem()
                            : limits.refund(resend.tenant(), counters, attemptId));
        });
    }
}
