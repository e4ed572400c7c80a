package io.paylink.gateway.guard;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import io.paylink.gateway.GatewayConfig;
import io.paylink.gateway.metrics.GatewayMetrics;
import io.paylink.gateway.problem.ProblemCode;
import io.paylink.gateway.problem.ProblemException;
import io.paylink.gateway.tenant.Tenant;
import io.paylink.gateway.upstream.UpstreamFailure;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;

/**
 * SmallRye Fault Tolerance around the Front Payment call:
 * <ul>
 * <li>a bulkhead per tenant, so one tenant flooding the gateway cannot take every upstream connection;</li>
 * <li>per Front Payment base URL: retry, circuit breaker and time-out (applied in that order, outermost first).</li>
 * </ul>
 * The breaker and retry are per base URL because a tenant with its own URL must not open the breaker
 * for everybody else. The time-out is a Vert.x timer rather than SmallRye's {@code withTimeout()}:
 * SmallRye's timer thread is woken (a futex wake and a context switch) by every call it guards,
 * which cost ~6 % of the gateway's CPU under load (bench/README.md); a Vert.x timer set on the
 * request's own event loop is a queue entry on that thread.
 */
@ApplicationScoped
public class UpstreamFaultTolerance {

    private static final TypeLiteral<Uni<Integer>> CALL = new TypeLiteral<>() {
    };
    private static final Duration BULKHEAD_RETRY_AFTER = Duration.ofSeconds(1);

    private final GatewayConfig config;
    private final GatewayMetrics metrics;
    private final Vertx vertx;
    private final Map<String, TypedGuard<Uni<Integer>>> byBaseUrl = new ConcurrentHashMap<>();
    private final Map<String, TypedGuard<Uni<Integer>>> byTenant = new ConcurrentHashMap<>();

    UpstreamFaultTolerance(GatewayConfig config, GatewayMetrics metrics, Vertx vertx) {
        this.config = config;
        this.metrics = metrics;
        this.vertx = vertx;
    }

    public Uni<Integer> call(Tenant tenant, String baseUrl, Supplier<Uni<Integer>> attempt) {
        TypedGuard<Uni<Integer>> upstream = byBaseUrl.computeIfAbsent(baseUrl, url -> {
            metrics.breakerState(url, CircuitBreakerState.CLOSED);
            return upstreamGuard(url);
        });
        TypedGuard<Uni<Integer>> bulkhead = byTenant.computeIfAbsent(tenant.id(), this::bulkhead);
        return bulkhead.get(() -> upstream.get(() -> withinTimeout(attempt.get()))).onFailure().transform(this::explain);
    }

    /**
     * The attempt, or {@link UpstreamFailure.UpstreamTimeout} once the time-out passes. Whichever
     * ends first (the answer, the timer or the caller going away) stops the other two, so a late
     * answer is dropped and an answered call leaves no timer behind. Set from an event loop, the
     * timer fires on the request's own Vert.x context, like the rest of the request.
     */
    private Uni<Integer> withinTimeout(Uni<Integer> attempt) {
        Duration timeout = config.upstream().timeout();
        return Uni.createFrom().emitter(answer -> {
            long timer = vertx.setTimer(timeout.toMillis(), id -> answer.fail(new UpstreamFailure.UpstreamTimeout(timeout)));
            Cancellable call = attempt.subscribe().with(answer::complete, answer::fail);
            answer.onTermination(() -> {
                vertx.cancelTimer(timer);
                call.cancel();
            });
        });
    }

    private TypedGuard<Uni<Integer>> upstreamGuard(String baseUrl) {
        GatewayConfig.Upstream upstream = config.upstream();
        return TypedGuard.create(CALL)
                .withDescription("front-payment " + baseUrl)
                // A resend sends an SMS or e-mail. Retrying anything that may have reached Front Payment
                // (a read time-out, a reset after the request was written, any answer at all) could send the
                // customer a second message, so only a connection that was never made is retried.
                .withRetry()
                .maxRetries(upstream.retry().maxRetries())
                .delay(upstream.retry().delay().toMillis(), ChronoUnit.MILLIS)
                .jitter(upstream.retry().jitter().toMillis(), ChronoUnit.MILLIS)
                .whenException(failure -> failure instanceof UpstreamFailure.UpstreamUnreachable)
                .withExponentialBackoff().factor(2).maxDelay(1, ChronoUnit.SECONDS).done()
                .done()
                // Business answers (404, paid, invalid payload, auth, rate limit) prove Front Payment is healthy.
                .withCircuitBreaker()
                .name("front-payment-" + Math.abs(baseUrl.hashCode()))
                .requestVolumeThreshold(upstream.circuitBreaker().requestVolumeThreshold())
                .failureRatio(upstream.circuitBreaker().failureRatio())
                .delay(upstream.circuitBreaker().delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(upstream.circuitBreaker().successThreshold())
                .when(UpstreamFaultTolerance::upstreamIsFailing)
                .onStateChange(state -> metrics.breakerState(baseUrl, state))
                .done()
                .build();
    }

    private TypedGuard<Uni<Integer>> bulkhead(String tenantId) {
        return TypedGuard.create(CALL)
                .withDescription("tenant " + tenantId)
                .withBulkhead()
                .limit(config.bulkhead().limit())
                .queueSize(config.bulkhead().queue())
                .done()
                .build();
    }

    static boolean upstreamIsFailing(Throwable failure) {
        return failure instanceof UpstreamFailure.UpstreamError
                || failure instanceof UpstreamFailure.UpstreamUnreachable
                || failure instanceof UpstreamFailure.UpstreamTimeout;
    }

    private Throwable explain(Throwable failure) {
        if (failure instanceof CircuitBreakerOpenException) {
            return new ProblemException(ProblemCode.UPSTREAM_UNAVAILABLE,
                    "Front Payment failed repeatedly; calls are paused, nothing was sent", List.of(),
                    config.upstream().circuitBreaker().delay());
        }
        if (failure instanceof BulkheadException) {
            return new ProblemException(ProblemCode.OVERLOADED,
                    "Too many resends of this tenant are in progress; nothing was sent", List.of(),
                    BULKHEAD_RETRY_AFTER);
        }
        return failure;
    }
}
