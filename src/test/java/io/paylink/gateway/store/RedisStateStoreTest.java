package io.paylink.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import io.paylink.gateway.support.InjectRedisUrl;
import io.paylink.gateway.support.RedisStoreProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

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
        List<Uni<Optional<IdempotencyRecord>>> claims = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            StateStore store = i % 2 == 0 ? gatewayStore : other;
            claims.add(store.claim("t", key, IdempotencyRecord.inFlight("owner-" + key, "fp"), Duration.ofSeconds(30)));
        }
        List<Optional<IdempotencyRecord>> results = Uni.join().all(claims).andFailFast().await().atMost(WAIT);

        assertEquals(1, results.stream().filter(Optional::isEmpty).count());
        results.stream().flatMap(Optional::stream).forEach(held -> assertEquals("fp", held.fingerprint()));
    }

    @Test
    void anAnswerSavedByOneInstanceIsReplayedByTheOther() {
        String key = "test:answer:" + UUID.randomUUID();
        IdempotencyRecord done = new IdempotencyRecord("owner-" + key, "fp",
                new IdempotencyRecord.Answer(404, "ORDER_NOT_FOUND", "not found", List.of()));
        gatewayStore.claim("t", key, IdempotencyRecord.inFlight("owner-" + key, "fp"), Duration.ofSeconds(30)).await().atMost(WAIT);
        gatewayStore.save("t", key, done, Duration.ofSeconds(30)).await().atMost(WAIT);

        Optional<IdempotencyRecord> held = other.claim("t", key, IdempotencyRecord.inFlight("owner-" + key, "fp"), Duration.ofSeconds(30))
                .await().atMost(WAIT);
        assertEquals(Optional.of(done), held);
    }

    @Test
    void releasedAndExpiredKeysCanBeClaimedAgain() throws InterruptedException {
        String released = "test:release:" + UUID.randomUUID();
        gatewayStore.claim("t", released, IdempotencyRecord.inFlight("owner-" + released, "fp"), Duration.ofSeconds(30)).await().atMost(WAIT);
        gatewayStore.release("t", released, "owner-" + released).await().atMost(WAIT);
        assertTrue(other.claim("t", released, IdempotencyRecord.inFlight("owner-" + released, "fp"), Duration.ofSeconds(30)).await().atMost(WAIT).isEmpty());

        String expiring = "test:expire:" + UUID.randomUUID();
        gatewayStore.claim("t", expiring, IdempotencyRecord.inFlight("owner-" + expiring, "fp"), Duration.ofMillis(200)).await().atMost(WAIT);
        Thread.sleep(400); // the 200 ms TTL must pass: expiry is time, not an event
        assertTrue(other.claim("t", expiring, IdempotencyRecord.inFlight("owner-" + expiring, "fp"), Duration.ofSeconds(30)).await().atMost(WAIT).isEmpty());
    }

    @Test
    void aLateFinisherCanNeitherSaveOverNorReleaseTheNewerClaim() throws InterruptedException {
        OwnerTokens.aLateFinisherCanNeitherSaveOverNorReleaseTheNewerClaim(gatewayStore);
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
            Optional<Duration> wait = store.reserve("t", List.of(order, destination), window, "attempt-" + i).await().atMost(WAIT);
            if (wait.isEmpty()) {
                granted++;
            } else {
                assertTrue(wait.get().compareTo(Duration.ZERO) > 0 && wait.get().compareTo(window) <= 0, wait.get().toString());
            }
        }
        assertEquals(3, granted);
        // the refused attempts did not count on the destination either: it has 97 slots left, not 94
        for (int i = 0; i < 97; i++) {
            assertTrue(other.reserve("t", List.of(destination), window, "dest-" + i).await().atMost(WAIT).isEmpty(), "slot " + i);
        }
        assertTrue(gatewayStore.reserve("t", List.of(destination), window, "dest-over").await().atMost(WAIT).isPresent());
    }

    @Test
    void aRefundOnOneInstanceFreesTheSlotForTheOther() {
        Counter order = new Counter("test:limit:refund:" + UUID.randomUUID(), 1);
        Duration window = Duration.ofSeconds(30);
        assertTrue(gatewayStore.reserve("t", List.of(order), window, "first").await().atMost(WAIT).isEmpty());
        assertTrue(other.reserve("t", List.of(order), window, "second").await().atMost(WAIT).isPresent());
        gatewayStore.refund("t", List.of(order), "first").await().atMost(WAIT);
        assertTrue(other.reserve("t", List.of(order), window, "second").await().atMost(WAIT).isEmpty());
    }
}
