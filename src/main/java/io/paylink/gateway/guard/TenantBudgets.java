package io.paylink.gateway.guard;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.paylink.gateway.metrics.GatewayMetrics;
import io.paylink.gateway.outcome.Outcome;
import io.paylink.gateway.problem.ProblemCode;
import io.paylink.gateway.store.StateStore.Counter;
import io.paylink.gateway.tenant.MessageBudget;
import io.paylink.gateway.tenant.MessageBudget.Channel;
import io.paylink.gateway.tenant.Tenant;
import io.paylink.gateway.tenant.TenantRegistry;
import io.paylink.gateway.upstream.ResendBody;
import io.quarkus.runtime.StartupEvent;

/**
 * Each tenant's message budgets: SMS and e-mail counted apart, per sliding hour and day, in the
 * state store beside the resend limits, so that every instance sharing the store spends one budget.
 * An SMS pumping run spread over many orders and numbers passes the per-order and per-destination
 * limits; the budget bounds what it can cost. The counters are sliced (StateStore.Counter): a day
 * budget of a hundred thousand messages costs the store a few numbers, not one entry per message.
 */
@ApplicationScoped
public class TenantBudgets {

    private static final Logger LOG = Logger.getLogger(TenantBudgets.class);
    /** An attempt counts for one window plus at most a sixtieth of it: a minute of an hour, 24 minutes of a day. */
    static final int SLICES = 60;
    private static final double WARN_AT = 0.8;

    private final GatewayMetrics metrics;
    /** Per (tenant, channel, window): the window period (time / window length) last warned about. */
    private final Map<List<String>, Long> warned = new ConcurrentHashMap<>();

    TenantBudgets(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    /** The series exist from the start, so that an alert on them has data before the first resend. */
    void registerGauges(@Observes StartupEvent start, TenantRegistry registry) {
        registry.tenants().forEach(tenant -> tenant.rules().budgets().forEach(budget -> metrics.budget(tenant.id(),
                budget.channel().label(), budget.period().label(), budget.limit(), budget.limit())));
    }

    /** The tenant's budgets this resend spends from: its SMS ones when it sends an SMS, its e-mail ones when an e-mail. */
    public List<MessageBudget> spentBy(Tenant tenant, ResendBody body) {
        return tenant.rules().budgets().stream()
                .filter(budget -> budget.channel() == Channel.SMS ? body.msisdn() != null : body.email() != null)
                .toList();
    }

    public List<Counter> counters(List<MessageBudget> budgets) {
        return budgets.stream().map(budget -> new Counter("budget:" + budget.channel().label() + ":" + budget.period().label(),
                budget.limit(), budget.period().length(), SLICES)).toList();
    }

    /**
     * What the store counted for each budget ({@code used}, in the order of {@code budgets}): the
     * gauges take it, and a budget 80 % spent is logged once per tenant, channel and window period.
     */
    public void counted(Tenant tenant, List<MessageBudget> budgets, List<Integer> used) {
        for (int i = 0; i < budgets.size(); i++) {
            MessageBudget budget = budgets.get(i);
            int spent = used.get(i);
            metrics.budget(tenant.id(), budget.channel().label(), budget.period().label(), budget.limit(),
                    Math.max(0, budget.limit() - spent));
            if (spent >= Math.ceil(WARN_AT * budget.limit())) {
                long period = System.currentTimeMillis() / budget.period().length().toMillis();
                Long before = warned.put(List.of(tenant.id(), budget.channel().label(), budget.period().label()), period);
                if (before == null || before != period) {
                    LOG.warnf("Tenant %s has used %d of its %s budget of %d per %s; at %d its resends get 429 TENANT_BUDGET_EXHAUSTED",
                            tenant.id(), spent, budget.channel().label(), budget.limit(), budget.period().label(), budget.limit());
                }
            }
        }
    }

    /** The 429 when one of {@code budgets} is spent; empty when none is (another limit refused the attempt). */
    public Optional<Outcome> refused(List<MessageBudget> budgets, List<Integer> used, Duration retryAfter) {
        for (int i = 0; i < budgets.size(); i++) {
            MessageBudget budget = budgets.get(i);
            if (used.get(i) >= budget.limit()) {
                return Optional.of(new Outcome.Rejected(Outcome.Answer.problem(ProblemCode.TENANT_BUDGET_EXHAUSTED,
                        "This tenant's " + (budget.channel() == Channel.SMS ? "SMS" : "e-mail") + " budget of " + budget.limit()
                                + " per " + budget.period().label() + " is spent; nothing was sent",
                        retryAfter)));
            }
        }
        return Optional.empty();
    }
}
