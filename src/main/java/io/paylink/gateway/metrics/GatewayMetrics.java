package io.paylink.gateway.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.smallrye.faulttolerance.api.CircuitBreakerState;

/**
 * The gateway's own series. Labels are bounded on purpose: tenant ids come from configuration,
 * outcomes from the error table; never an order id, a contact or a caller-supplied string.
 */
@Singleton
public class GatewayMetrics {

    /** A request whose API key matched no tenant. */
    public static final String NO_TENANT = "none";

    private final MeterRegistry registry;
    private final Map<List<String>, AtomicInteger> breakerStates = new ConcurrentHashMap<>();
    /** Per (tenant, channel, window): {limit, remaining}. */
    private final Map<List<String>, AtomicInteger[]> budgets = new ConcurrentHashMap<>();
    // meters are looked up once per label set: building and registering one per request is costly
    private final Map<List<String>, Counter> requests = new ConcurrentHashMap<>();
    private final Map<List<String>, Timer> upstreamCalls = new ConcurrentHashMap<>();
    private final Counter tenantsFileRefusals;

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        // registered up front, so that an alert on its increase has a series before the first refusal
        this.tenantsFileRefusals = Counter.builder("gateway.tenants.config.reload.failures")
                .description("Versions of the tenants file refused as invalid; the tenants in force stayed as they were")
                .register(registry);
    }

    /** {@code gateway_requests_total}: every answer by tenant, outcome code and whether it was an idempotent replay. */
    public void request(String tenant, String outcome, boolean replayed) {
        requests.computeIfAbsent(List.of(tenant, outcome, String.valueOf(replayed)), labels -> Counter.builder("gateway.requests")
                .description("Answers of the gateway by tenant and outcome code (ACCEPTED or the problem code)")
                .tags(Tags.of("tenant", labels.get(0), "outcome", labels.get(1), "replayed", labels.get(2)))
                .register(registry))
                .increment();
    }

    /** {@code gateway_upstream_seconds}: one attempt at Front Payment, by its outcome (2xx, 4xx, 5xx, unreachable, broken, timeout). */
    public void upstreamCall(String tenant, String outcome, long nanos) {
        upstreamCalls.computeIfAbsent(List.of(tenant, outcome), labels -> Timer.builder("gateway.upstream")
                .description("Latency of calls to Front Payment")
                .tags(Tags.of("tenant", labels.get(0), "outcome", labels.get(1)))
                .publishPercentileHistogram()
                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code gateway_tenants_config_reload_failures_total}. */
    public void tenantsFileRefused() {
        tenantsFileRefusals.increment();
    }

    /**
     * {@code gateway_tenant_budget_limit} and {@code gateway_tenant_budget_remaining} of one tenant's
     * budget for a channel (sms, email) and window (hour, day); {@code remaining} as the store counted it.
     */
    public void budget(String tenant, String channel, String window, int limit, int remaining) {
        AtomicInteger[] gauges = budgets.computeIfAbsent(List.of(tenant, channel, window), labels -> {
            Tags tags = Tags.of("tenant", labels.get(0), "channel", labels.get(1), "window", labels.get(2));
            return new AtomicInteger[] { registry.gauge("gateway.tenant.budget.limit", tags, new AtomicInteger(limit)),
                    registry.gauge("gateway.tenant.budget.remaining", tags, new AtomicInteger(remaining)) };
        });
        gauges[0].set(limit);
        gauges[1].set(remaining);
    }

    /** {@code gateway_circuit_breaker_state}: 0 closed, 1 half-open, 2 open, per tenant and Front Payment base URL. */
    public void breakerState(String tenant, String target, CircuitBreakerState state) {
        int value = switch (state) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
        breakerStates.computeIfAbsent(List.of(tenant, target), labels -> registry.gauge("gateway.circuit.breaker.state",
                Tags.of("tenant", labels.get(0), "target", labels.get(1)), new AtomicInteger())).set(value);
    }
}
