package io.paylink.gateway.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.paylink.gateway.outcome.Outcome;
import io.paylink.gateway.problem.ProblemCode;
import io.paylink.gateway.support.GuardPolicyProfile;
import io.paylink.gateway.tenant.SendingRules;
import io.paylink.gateway.tenant.Tenant;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;

/**
 * The time-out on the real guard: a silent Front Payment is given up on (and the attempt cancelled)
 * after {@code gateway.upstream.timeout}, an answer in time wins, and time-outs open the breaker.
 */
@QuarkusTest
@TestProfile(GuardPolicyProfile.class)
class UpstreamTimeoutTest {

    /** Nothing to check before the send. */
    private static final Uni<Optional<Outcome>> GO = Uni.createFrom().item(Optional.empty());

    private static final Tenant TENANT = new Tenant("timeout-test", "t", Optional.empty(), new SendingRules(Set.of("NO"), "test", List.of()));

    @Inject
    UpstreamFaultTolerance faultTolerance;

    @Test
    void aSilentUpstreamIsGivenUpOnAndItsAttemptCancelled() {
        AtomicBoolean cancelled = new AtomicBoolean();
        long start = System.nanoTime();
        Outcome outcome = faultTolerance.call(TENANT, "http://timeout-1", GO,
                () -> Uni.createFrom().<Integer> nothing().onCancellation().invoke(() -> cancelled.set(true)))
                .await().atMost(Duration.ofSeconds(10));

        assertInstanceOf(Outcome.Ambiguous.class, outcome);
        assertEquals(ProblemCode.UPSTREAM_TIMEOUT, outcome.answer().code());
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(GuardPolicyProfile.TIMEOUT_MILLIS - 50),
                "gave up before the configured time-out");
        // the outcome is handed on before the time-out's clean-up runs, on the timer's thread
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!cancelled.get() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(cancelled.get(), "the timed-out attempt was not cancelled");
    }

    @Test
    void anAnswerBeforeTheTimeOutIsTheResult() {
        Outcome outcome = faultTolerance.call(TENANT, "http://timeout-2", GO,
                () -> Uni.createFrom().item(202).onItem().delayIt().by(Duration.ofMillis(GuardPolicyProfile.TIMEOUT_MILLIS / 4)))
                .await().atMost(Duration.ofSeconds(10));

        assertInstanceOf(Outcome.Answered.class, outcome);
        assertEquals(202, outcome.upstreamStatus());
    }

    @Test
    void timeOutsOpenTheBreakerOfThatTenantOnly() {
        AtomicInteger attempts = new AtomicInteger();
        Tenant failing = new Tenant("timeout-test-failing", "t", Optional.empty(), new SendingRules(Set.of("NO"), "test", List.of()));
        for (int i = 0; i < GuardPolicyProfile.BREAKER_THRESHOLD; i++) {
            Outcome outcome = faultTolerance.call(failing, "http://timeout-3", GO, () -> {
                attempts.incrementAndGet();
                return Uni.createFrom().<Integer> nothing();
            }).await().atMost(Duration.ofSeconds(10));
            assertEquals(ProblemCode.UPSTREAM_TIMEOUT, outcome.answer().code());
        }

        Outcome open = faultTolerance.call(failing, "http://timeout-3", GO, () -> {
            attempts.incrementAndGet();
            return Uni.createFrom().item(202);
        }).await().atMost(Duration.ofSeconds(10));
        assertInstanceOf(Outcome.NotSent.class, open);
        assertEquals(ProblemCode.UPSTREAM_UNAVAILABLE, open.answer().code());
        assertEquals(GuardPolicyProfile.BREAKER_THRESHOLD, attempts.get());

        Outcome other = faultTolerance.call(TENANT, "http://timeout-3", GO, () -> Uni.createFrom().item(202))
                .await().atMost(Duration.ofSeconds(10));
        assertInstanceOf(Outcome.Answered.class, other, "another tenant on the same URL still calls");
    }
}
