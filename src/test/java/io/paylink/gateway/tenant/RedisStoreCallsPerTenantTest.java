package io.paylink.gateway.tenant;

import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.GLOBEX_KEY;
import static io.paylink.gateway.support.Gateway.as;
import static io.paylink.gateway.support.Gateway.freshEmailBody;
import static io.paylink.gateway.support.Gateway.freshOrder;
import static io.paylink.gateway.support.Gateway.resendPath;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.EmbeddedRedis;
import io.paylink.gateway.support.Await;
import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * One Redis connection pool serves every tenant, first come, first served: a tenant flooding the
 * gateway must not queue its store calls ahead of another tenant's until those pass the store
 * time-out and are answered 503 STORE_UNAVAILABLE.
 */
@QuarkusTest
@TestProfile(RedisStoreCallsPerTenantTest.DefaultsWithASmallPool.class)
@QuarkusTestResource(WireMockFrontPayment.class)
class RedisStoreCallsPerTenantTest {

    static final int FLOOD = 256;
    static final int STEADY = 15;

    /**
     * The production bulkhead, a small pool and a generous store time-out. On loopback a Redis round
     * trip costs about what handling its answer costs, so with the production pool a starved call
     * waits only a few round trips, and on a loaded machine the flood's cost in CPU, not the pool,
     * decides whether a call makes a short time-out. A small pool makes each place in its queue
     * count: a call behind a flood waits there for dozens of round trips, each slowed by the flood.
     * The time-out leaves room for the CPU the flood takes from everyone, which no store bound helps.
     */
    public static class DefaultsWithASmallPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.store", "redis", "quarkus.redis.max-pool-size", "4", "gateway.store-timeout", "5s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EmbeddedRedis.class));
        }
    }

    @InjectWireMock
    WireMockServer frontPayment;

    @Test
    void aFloodingTenantDoesNotPushAnotherTenantsStoreCallsPastTheTimeout() throws Exception {
        frontPayment.resetAll();
        answer(frontPayment, json(202, ACCEPTED));
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger floodAnswers = new AtomicInteger();
        ExecutorService acme = Executors.newFixedThreadPool(FLOOD);
        List<String> steady = new ArrayList<>();
        try {
            for (int i = 0; i < FLOOD; i++) {
                acme.execute(() -> {
                    while (flooding.get()) {
                        // a fresh key each: claim, reservation, mark and save, every request several store calls
                        as(ACME_KEY).header("Idempotency-Key", UUID.randomUUID().toString()).body(freshEmailBody())
                                .post(resendPath(freshOrder()));
                        floodAnswers.incrementAndGet();
                    }
                });
            }
            // in full swing: answered, whatever the answers (on a small machine the flood mostly starves itself)
            Await.atLeast("acme's flood answered", floodAnswers::get, FLOOD);
            for (int i = 0; i < STEADY; i++) {
                Response answer = as(GLOBEX_KEY).header("Idempotency-Key", UUID.randomUUID().toString()).body(freshEmailBody())
                        .post(resendPath(freshOrder()));
                steady.add(answer.statusCode() == 202 ? "202" : answer.statusCode() + " " + answer.path("code"));
            }
        } finally {
            flooding.set(false);
            acme.shutdown();
            acme.awaitTermination(1, TimeUnit.MINUTES);
        }
        assertEquals(Map.of("202", (long) STEADY), steady.stream().collect(Collectors.groupingBy(answer -> answer, Collectors.counting())));
    }
}
