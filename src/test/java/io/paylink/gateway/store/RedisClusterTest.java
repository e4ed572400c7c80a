package io.paylink.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.paylink.gateway.store.StateStore.Counter;
import io.paylink.gateway.support.RedisCluster;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The gateway's Redis store, with the application's client settings in cluster mode, on a real
 * three-node Redis Cluster. A reservation touches an order and two destinations in one script: only
 * the per-tenant hash tag puts them in one slot.
 */
@QuarkusTest
@TestProfile(RedisClusterTest.OnCluster.class)
class RedisClusterTest {

    public static class OnCluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.store", "redis");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisCluster.class));
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration TTL = Duration.ofMinutes(1);

    @Inject
    StateStore store;

    @Inject
    ReactiveRedisDataSource redis;

    @Test
    void claimSaveAndReleaseWorkOnACluster() {
        assertInstanceOf(RedisStateStore.class, store);
        IdempotencyRecord first = IdempotencyRecord.inFlight("first", "fp", null);
        IdempotencyRecord.Answer accepted = new IdempotencyRecord.Answer(202, null, null, null);
        assertTrue(claim(first).isEmpty());
        assertEquals("first", claim(IdempotencyRecord.inFlight("second", "fp", null)).orElseThrow().record().owner());
        assertTrue(store.markSending("acme", "idem:cluster", "first", TTL).await().atMost(WAIT));
        assertTrue(store.save("acme", "idem:cluster", first.completedWith(accepted), TTL).await().atMost(WAIT));
        assertEquals(first.completedWith(accepted), claim(IdempotencyRecord.inFlight("second", "fp", null)).orElseThrow().record());
        assertFalse(store.release("acme", "idem:cluster", "first").await().atMost(WAIT), "a stored answer is never freed");
        redis.execute("DEL", "gw:{acme}:idem:cluster").await().atMost(WAIT);
        assertTrue(claim(IdempotencyRecord.inFlight("second", "fp", null)).isEmpty());
        assertFalse(store.release("acme", "idem:cluster", "first").await().atMost(WAIT));
        assertTrue(store.release("acme", "idem:cluster", "second").await().atMost(WAIT));
    }

    @Test
    void aReservationOfAnOrderAndTwoDestinationsWorksOnACluster() {
        List<Counter> counters = List.of(new Counter("order:ODR-CLUSTER", 1), new Counter("dest:phone-hash", 5),
                new Counter("dest:email-hash", 5));
        assertTrue(store.reserve("acme", counters, TTL, "attempt-1").await().atMost(WAIT).retryAfter().isEmpty());
        assertTrue(store.reserve("acme", counters, TTL, "attempt-2").await().atMost(WAIT).retryAfter().isPresent());
        store.refund("acme", counters, "attempt-1").await().atMost(WAIT);
        assertTrue(store.reserve("acme", counters, TTL, "attempt-2").await().atMost(WAIT).retryAfter().isEmpty());
    }

    /** The same three keys without the hash tag live in different slots: one script over them is refused. */
    @Test
    void withoutTheHashTagTheSameKeysWouldBeRefused() {
        Throwable refused = assertThrows(Throwable.class, () -> redis.execute("EVAL", "return 1", "3",
                "gw:acme:order:ODR-CLUSTER", "gw:acme:dest:phone-hash", "gw:acme:dest:email-hash").await().atMost(WAIT));
        assertTrue(String.valueOf(refused.getMessage()).contains("CROSSSLOT"), refused.toString());
    }

    private Optional<StateStore.Held> claim(IdempotencyRecord record) {
        return store.claim("acme", "idem:cluster", record, TTL, TTL, new IdempotencyRecord.Answer(502, "UPSTREAM_OUTCOME_UNKNOWN", null, null))
                .await().atMost(WAIT);
    }
}
