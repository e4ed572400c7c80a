package io.paylink.gateway.guard;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import io.paylink.gateway.GatewayConfig;
import io.paylink.gateway.metrics.GatewayMetrics;
import io.paylink.gateway.outcome.Outcome;
import io.paylink.gateway.problem.ProblemCode;
import io.paylink.gateway.tenant.Tenant;
import io.paylink.gateway.upstream.UpstreamFailure;
import io.paylink.gateway.upstream.UpstreamTrouble;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;

/**
 * SmallRye Fault Tolerance around the Front Payment call, and what its refusals mean:
 * <ul>
 * <li>a bulkhead per tenant, so one tenant flooding the gateway cannot take every upstream connection;</li>
 * <li>per tenant and Front Payment base URL: retry, circuit breaker and time-out (in that order,
 * outermost first). One tenant's failing calls (a revoked account, a broken per-tenant URL) must
 * never open the breaker for another tenant on the same URL.</li>
 * </ul>
 * The time-out is a Vert.x timer rather than SmallRye's {@code withTimeout()}: SmallRye's timer
 * thread is woken by every call it guards (a futex wake and a context switch per request; see
 * bench/README.md), while a Vert.x timer set on the request's own event loop is a queue entry on that thread.
 */
@ApplicationScoped
public class UpstreamFaultTolerance {

    private static final TypeLiteral<Uni<Integer>> CALL = new TypeLiteral<>() {
    };
    private static final Logger LOG = Logger.getLogger(UpstreamFaultTolerance.class);

    private final GatewayConfig config;
    private final GatewayMetrics metrics;
    private final UpstreamTrouble trouble;
    private final Vertx vertx;
    private final Map<String, TypedGuard<Uni<Integer>>> byTenantAndUrl = new ConcurrentHashMap<>();
    private final Map<String, TypedGuard<Uni<Integer>>> byTenant = new ConcurrentHashMap<>();

    UpstreamFaultTolerance(GatewayConfig config, GatewayMetrics metrics, UpstreamTrouble trouble, Vertx vertx) {
        this.config = config;
        this.metrics = metrics;
        this.trouble = trouble;
        this.vertx = vertx;
    }

    /**
     * The guarded attempt's outcome; never fails. {@code beforeSend} runs once the call has its place
     * in the bulkhead, after any wait in its queue, right before the first attempt: an outcome from it
     * is answered instead of calling.
     */
    public Uni<Outcome> call(Tenant tenant, String baseUrl, Uni<Optional<Outcome>> beforeSend, Supplier<Uni<Integer>> attempt) {
        TypedGuard<Uni<Integer>> upstream = byTenantAndUrl.computeIfAbsent(tenant.id() + " " + baseUrl, k -> {
            metrics.breakerState(tenant.id(), baseUrl, CircuitBreakerState.CLOSED);
            return upstreamGuard(tenant, baseUrl);
        });
        TypedGuard<Uni<Integer>> bulkhead = byTenant.computeIfAbsent(tenant.id(), this::bulkhead);
        // Assembled here, on the request's own context, not inside the bulkhead's supplier: a call that
        // waited in the queue is started on the thread of the call whose end freed its place, and Mutiny's
        // context propagation then restores the trace context captured when the Uni was assembled. Built
        // in the supplier, it would take the other request's trace to Front Payment.
        Uni<Integer> guarded = beforeSend.flatMap(instead -> instead.isPresent()
                ? Uni.createFrom().failure(new NotCalled(instead.get()))
                : Uni.createFrom().deferred(() -> upstream.get(() -> withinTimeout(attempt.get()))));
        return bulkhead.get(() -> guarded)
                .map(status -> (Outcome) new Outcome.Answered(Outcome.Answer.ACCEPTED, status))
                .onFailure().recoverWithItem(this::outcome);
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

    private TypedGuard<Uni<Integer>> upstreamGuard(Tenant tenant, String baseUrl) {
        GatewayConfig.Upstream upstream = config.upstream();
        return TypedGuard.create(CALL)
                .withDescription("front-payment " + tenant.id() + " " + baseUrl)
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
                .name("front-payment-" + tenant.id() + "-" + Math.abs(baseUrl.hashCode()))
                .requestVolumeThreshold(upstream.circuitBreaker().requestVolumeThreshold())
                .failureRatio(upstream.circuitBreaker().failureRatio())
                .delay(upstream.circuitBreaker().delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(upstream.circuitBreaker().successThreshold())
                .when(UpstreamFaultTolerance::upstreamIsFailing)
                .onStateChange(state -> {
                    metrics.breakerState(tenant.id(), baseUrl, state);
                    if (state == CircuitBreakerState.OPEN) {
                        trouble.breakerOpened(tenant, baseUrl, upstream.circuitBreaker().delay());
                    } else if (state == CircuitBreakerState.CLOSED) {
                        trouble.breakerClosed(tenant, baseUrl);
                    }
                })
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

    private Outcome outcome(Throwable failure) {
        if (failure instanceof UpstreamFailure upstream) {
            return upstream.outcome();
        }
        if (failure instanceof NotCalled notCalled) {
            return notCalled.outcome;
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return new Outcome.NotSent(Outcome.Answer.problem(ProblemCode.UPSTREAM_UNAVAILABLE,
                    "Front Payment failed repeatedly for this tenant; calls are paused, nothing was sent",
                    config.upstream().circuitBreaker().delay()), 0);
        }
        if (failure instanceof BulkheadException) {
            // reached when callers who hung up left their calls running: their front-door places are free again
            return new Outcome.NotSent(Outcome.Answer.problem(ProblemCode.OVERLOADED,
                    "Too many calls of this tenant to Front Payment are running or waiting; nothing was sent", Admission.RETRY_AFTER), 0);
        }
        // a bug of ours somewhere around the call: whether it was made is unknown, so it is treated as made
        LOG.error("Unexpected failure around the Front Payment call", failure);
        return Outcome.unexpected();
    }

    /** The guarded Uni yields Front Payment's status, so beforeSend's outcome travels through the bulkhead as a failure. */
    private static final class NotCalled extends RuntimeException {
        final transient Outcome outcome;

        NotCalled(Outcome outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }
}
