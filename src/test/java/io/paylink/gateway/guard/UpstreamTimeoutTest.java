package io.paylink.gateway.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.paylink.gateway.problem.ProblemCode;
import io.paylink.gateway.problem.ProblemException;
import io.paylink.gateway.support.GuardPolicyProfile;
import io.paylink.gateway.tenant.Tenant;
import io.paylink.gateway.upstream.UpstreamFailure;
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

    private static final Tenant TENANT = new Tenant("timeout-test", "t", Optional.empty());

    @Inject
    UpstreamFaultTolerance faultTolerance;

    @Test
    void aSilentUpstreamIsGivenUpOnAndItsAttemptCancelled() {
        AtomicBoolean cancelled = new AtomicBoolean();
        long start = System.nanoTime();
        Uni<Integer> call = faultTolerance.call(TENANT, "http://timeout-1",
                () -> Uni.createFrom().<Integer> nothing().onCancellation().invoke(() -> cancelled.set(true)));

        assertThrows(UpstreamFailure.UpstreamTimeout.class, () -> call.await().atMost(Duration.ofSeconds(10)));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(GuardPolicyProfile.TIMEOUT_MILLIS - 50),
                "gave up before the configured time-out");
        assertTrue(cancelled.get(), "the timed-out attempt was not cancelled");
    }

    @Test
    void anAnswerBeforeTheTimeOutIsTheResult() {
        Uni<Integer> call = faultTolerance.call(TENANT, "http://timeout-2",
                () -> Uni.createFrom().item(202).onItem().delayIt().by(Duration.ofMillis(GuardPolicyProfile.TIMEOUT_MILLIS / 4)));

        assertEquals(202, call.await().atMost(Duration.ofSeconds(10)));
    }

    @Test
    void timeOutsOpenTheBreaker() throws InterruptedException {
        AtomicInteger attempts = new AtomicInteger();
        List<CompletableFuture<Integer>> silent = new ArrayList<>();
        for (int i = 0; i < GuardPolicyProfile.BREAKER_THRESHOLD; i++) {
            // one tenant each: the breaker is per base URL, the bulkhead (2 + 1 waiting) per tenant
            Tenant tenant = new Tenant("timeout-test-" + i, "t", Optional.empty());
            silent.add(faultTolerance.call(tenant, "http://timeout-3", () -> {
                attempts.incrementAndGet();
                return Uni.createFrom().nothing();
            }).subscribeAsCompletionStage());
        }
        for (CompletableFuture<Integer> call : silent) {
            ExecutionException failure = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
            assertTrue(failure.getCause() instanceof UpstreamFailure.UpstreamTimeout, failure.getCause().toString());
        }

        ProblemException open = assertThrows(ProblemException.class, () -> faultTolerance.call(TENANT, "http://timeout-3", () -> {
            attempts.incrementAndGet();
            return Uni.createFrom().item(202);
        }).await().atMost(Duration.ofSeconds(10)));
        assertEquals(ProblemCode.UPSTREAM_UNAVAILABLE, open.code());
        assertEquals(GuardPolicyProfile.BREAKER_THRESHOLD, attempts.get());
    }
}
