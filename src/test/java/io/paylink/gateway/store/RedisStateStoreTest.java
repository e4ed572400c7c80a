package io.paylink.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.paylink.gateway.store.StateStore.Counter;
import io.paylink.gateway.store.StateStore.Held;
import io.paylink.gateway.support.InjectRedisUrl;
import io.paylink.gateway.support.RedisStoreProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;

/**
 * Two gateway-side store instances, each with its own Redis connection, on one real Redis: they
 * must behave like one store.
 */
@QuarkusTest
@TestProfile(RedisStoreProfile.class)
class RedisStateStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    StateStore gatewayStore;

    @Inject
    Vertx vertx;

    @InjectRedisUrl
    String redisUrl;

    private StateStore other;

    @BeforeEach
    void secondInstance() {
        other = OtherInstance.on(vertx, redisUrl);
    }

    @Test
    void theConfiguredStoreIsRedis() {
        assertInstanceOf(RedisStateStore.class, gatewayStore);
        assertTrue(gatewayStore.isReachable().await().atMost(WAIT));
    }

    @Test
    void concurrentClaimsFromTwoInstancesHaveExactlyOneWinner() {
        String key = "test:claim:" + UUID.randomUUID();
        List<Uni<Optional<Held>>> claims = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            StateStore store = i % 2 == 0 ? gatewayStore : other;
            claims.add(claim(store, key, "owner-" + i));
        }
        List<Optional<Held>> results = Uni.join().all(claims).andFailFast().await().atMost(WAIT);

        assertEquals(1, results.stream().filter(Optional::isEmpty).count());
        results.stream().flatMap(Optional::stream).forEach(held -> assertEquals("fp", held.record().fingerprint()));
    }

    @Test
    void anAnswerSavedByOneInstanceIsReplayedByTheOther() {
        String key = "test:answer:" + UUID.randomUUID();
        IdempotencyRecord done = IdempotencyRecord.inFlight("owner-" + key, "fp", null)
                .completedWith(new IdempotencyRecord.Answer(404, "ORDER_NOT_FOUND", "not found", List.of()));
        claim(gatewayStore, key, "owner-" + key).await().atMost(WAIT);
        gatewayStore.save("t", key, done, Duration.ofSeconds(30)).await().atMost(WAIT);

        assertEquals(done, claim(other, key, "other").await().atMost(WAIT).orElseThrow().record());
    }

    @Test
    void aReleasedKeyCanBeClaimedAgain() {
        String released = "test:release:" + UUID.randomUUID();
        claim(gatewayStore, released, "owner-" + released).await().atMost(WAIT);
        gatewayStore.release("t", released, "owner-" + released).await().atMost(WAIT);
        assertTrue(claim(other, released, "other").await().atMost(WAIT).isEmpty());
    }

    @Test
    void aLapsedClaimThatNeverSentIsTakenOverAndItsHolderLocksNothingOut() {
        ClaimLeases.aLapsedClaimThatNeverSentIsTakenOverAndItsHolderLocksNothingOut(gatewayStore);
    }

    @Test
    void aLapsedClaimThatMarkedItsSendBecomesTheUnknownOutcome() {
        ClaimLeases.aLapsedClaimThatMarkedItsSendBecomesTheUnknownOutcome(gatewayStore);
    }

    @Test
    void aCopyLearnsHowLongTheLeaseStillRuns() {
        ClaimLeases.aCopyLearnsHowLongTheLeaseStillRuns(gatewayStore);
    }

    @Test
    void anOutcomeWhoseClaimTheStoreLostIsStillStored() {
        ClaimLeases.anOutcomeWhoseClaimTheStoreLostIsStillStored(gatewayStore);
    }

    /**
     * The bound counts the records a tenant holds now: a key it holds still answers, a freed claim
     * gives its room back, and another tenant's room is its own.
     */
    @Test
    void aTenantsBoundOnRecordsRefusesOnlyNewKeysAndAFreedClaimGivesItsRoomBack() {
        String tenant = "bound-" + UUID.randomUUID();
        StateStore bounded = OtherInstance.bounded(vertx, redisUrl, 2);
        assertTrue(claim(bounded, tenant, "idem:1", "owner-1").await().atMost(WAIT).isEmpty());
        assertTrue(claim(bounded, tenant, "idem:2", "owner-2").await().atMost(WAIT).isEmpty());

        assertThrows(StoreFullException.class, () -> claim(bounded, tenant, "idem:3", "owner-3").await().atMost(WAIT));
        assertTrue(claim(bounded, tenant, "idem:1", "owner-4").await().atMost(WAIT).isPresent(), "a held key answers, full or not");
        assertTrue(claim(bounded, "other-" + tenant, "idem:3", "owner-5").await().atMost(WAIT).isEmpty());

        assertTrue(bounded.release(tenant, "idem:2", "owner-2").await().atMost(WAIT));
        assertTrue(claim(bounded, tenant, "idem:3", "owner-3").await().atMost(WAIT).isEmpty());
    }

    private static Uni<Optional<Held>> claim(StateStore store, String tenant, String key, String owner) {
        return store.claim(tenant, key, IdempotencyRecord.inFlight(owner, "fp", null), Duration.ofSeconds(30), Duration.ofSeconds(30),
                ClaimLeases.UNKNOWN);
    }

    private static Uni<Optional<Held>> claim(StateStore store, String key, String owner) {
        return store.claim("t", key, IdempotencyRecord.inFlight(owner, "fp", null), Duration.ofSeconds(30), Duration.ofSeconds(30),
                ClaimLeases.UNKNOWN);
    }


    @Test
    void twoInstancesShareOneLimitAndAllOrNothingReservations() {
        String tag = UUID.randomUUID().toString();
        Counter order = new Counter("test:limit:order:" + tag, 3);
        Counter destination = new Counter("test:limit:dest:" + tag, 100);
        Duration window = Duration.ofSeconds(30);
        int granted = 0;
        for (int i = 0; i < 6; i++) {
            StateStore store = i % 2 == 0 ? gatewayStore : other;
            Optional<Duration> wait = store.reserve("t", List.of(order, destination), window, "attempt-" + i).await().atMost(WAIT).retryAfter();
            if (wait.isEmpty()) {
                granted++;
            } else {
                assertTrue(wait.get().compareTo(Duration.ZERO) > 0 && wait.get().compareTo(window) <= 0, wait.get().toString());
            }
        }
        assertEquals(3, granted);
        // the refused attempts did not count on the destination either: it has 97 slots left, not 94
        for (int i = 0; i < 97; i++) {
            assertTrue(other.reserve("t", List.of(destination), window, "dest-" + i).await().atMost(WAIT).retryAfter().isEmpty(), "slot " + i);
        }
        assertTrue(gatewayStore.reserve("t", List.of(destination), window, "dest-over").await().atMost(WAIT).retryAfter().isPresent());
    }

    @Test
    void aRefundOnOneInstanceFreesTheSlotForTheOther() {
        Counter order = new Counter("test:limit:refund:" + UUID.randomUUID(), 1);
        Duration window = Duration.ofSeconds(30);
        assertTrue(gatewayStore.reserve("t", List.of(order), window, "first").await().atMost(WAIT).retryAfter().isEmpty());
        assertTrue(other.reserve("t", List.of(order), window, "second").await().atMost(WAIT).retryAfter().isPresent());
        gatewayStore.refund("t", List.of(order), "first").await().atMost(WAIT);
        assertTrue(other.reserve("t", List.of(order), window, "second").await().atMost(WAIT).retryAfter().isEmpty());
    }

    @Test
    void twoInstancesSpendOneSlicedBudgetWhoseSizeDoesNotGrowWithItsAttempts() {
        String key = "test:budget:" + UUID.randomUUID();
        Counter budget = new Counter(key, 300, Duration.ofDays(1), 60);
        for (int i = 0; i < 300; i++) {
            StateStore store = i % 2 == 0 ? gatewayStore : other;
            assertEquals(List.of(i + 1), store.reserve("t", List.of(budget), Duration.ofSeconds(30), "a" + i).await().atMost(WAIT).used());
        }
        StateStore.Reservation refused = gatewayStore.reserve("t", List.of(budget), Duration.ofSeconds(30), "over").await().atMost(WAIT);
        assertEquals(List.of(300), refused.used());
        Duration wait = refused.retryAfter().orElseThrow();
        assertTrue(wait.compareTo(Duration.ofDays(1)) > 0 && wait.compareTo(Duration.ofDays(1).plusMinutes(24)) <= 0, wait.toString());

        other.refund("t", List.of(budget), "a0").await().atMost(WAIT);
        gatewayStore.refund("t", List.of(budget), "a0").await().atMost(WAIT); // a second refund takes nothing more
        assertTrue(gatewayStore.reserve("t", List.of(budget), Duration.ofSeconds(30), "freed").await().atMost(WAIT).retryAfter().isEmpty());
        assertTrue(other.reserve("t", List.of(budget), Duration.ofSeconds(30), "over-again").await().atMost(WAIT).retryAfter().isPresent());

        RedisAPI redis = RedisAPI.api(Redis.createClient(vertx, redisUrl));
        // 300 attempts within one 24-minute slice: one field, not 300 members
        assertTrue(redis.hlen("gw:{t}:" + key).await().atMost(WAIT).toInteger() <= 2);
        redis.close();
    }
}
