package io.paylink.gateway.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.paylink.gateway.support.GuardPolicyProfile;
import io.paylink.gateway.outcome.Outcome;
import io.paylink.gateway.tenant.SendingRules;
import io.paylink.gateway.tenant.Tenant;
import io.paylink.gateway.upstream.UpstreamFailure;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;

/**
 * The retry rule on the real guard: only a connection that was never made is tried again; every
 * outcome that may have reached Front Payment is tried exactly once.
 */
@QuarkusTest
@TestProfile(GuardPolicyProfile.class)
class RetryRuleTest {

    /** Nothing to check before the send. */
    private static final Uni<Optional<Outcome>> GO = Uni.createFrom().item(Optional.empty());

    private static final Tenant TENANT = new Tenant("retry-rule", "t", Optional.empty(), new SendingRules(Set.of("NO"), "test", List.of()));

    @Inject
    UpstreamFaultTolerance faultTolerance;

    private int attempts(String baseUrl, Supplier<Uni<Integer>> attempt, Class<? extends Outcome> expected) {
        AtomicInteger attempts = new AtomicInteger();
        Outcome outcome = faultTolerance.call(TENANT, baseUrl, GO, () -> {
            attempts.incrementAndGet();
            return attempt.get();
        }).await().atMost(Duration.ofSeconds(10));
        assertInstanceOf(expected, outcome);
        return attempts.get();
    }

    @Test
    void unreachableIsRetriedUpToTheCap() {
        assertEquals(1 + GuardPolicyProfile.MAX_RETRIES, attempts("http://retry-rule-1",
                () -> Uni.createFrom().failure(new UpstreamFailure.UpstreamUnreachable()), Outcome.NotSent.class));
    }

    @Test
    void aBrokenOffOrUnreadableAnswerIsNeverRetried() {
        assertEquals(1, attempts("http://retry-rule-2",
                () -> Uni.createFrom().failure(new UpstreamFailure.UpstreamError(0, "reset")), Outcome.Ambiguous.class));
    }

    @Test
    void aTimeOutIsNeverRetried() {
        assertEquals(1, attempts("http://retry-rule-3", () -> Uni.createFrom().nothing(), Outcome.Ambiguous.class));
    }
}
