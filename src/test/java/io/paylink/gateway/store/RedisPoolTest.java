package io.paylink.gateway.store;

import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.as;
import static io.paylink.gateway.support.Gateway.freshEmailBody;
import static io.paylink.gateway.support.Gateway.freshOrder;
import static io.paylink.gateway.support.Gateway.resendPath;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.GatewayConfig;
import io.paylink.gateway.store.StateStore.Counter;
import io.paylink.gateway.support.Concurrently;
import io.paylink.gateway.support.EmbeddedRedis;
import io.paylink.gateway.support.InjectRedisUrl;
import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * The Redis connection pool must not refuse what the instance admits: a burst as large as the
 * bulkhead lets in (running + queued), on two instances sharing one Redis, gets no
 * STORE_UNAVAILABLE while Redis is up.
 */
@QuarkusTest
@TestProfile(RedisPoolTest.DefaultBulkheadOnRedis.class)
@QuarkusTestResource(WireMockFrontPayment.class)
class RedisPoolTest {

    /** The production bulkhead and pool settings; a generous deadline, so that only the pool can refuse. */
    public static class DefaultBulkheadOnRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.store", "redis", "gateway.store-timeout", "30s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(EmbeddedRedis.class));
        }
    }

    @InjectWireMock
    WireMockServer frontPayment;

    @InjectRedisUrl
    String redisUrl;

    @Inject
    Vertx vertx;

    @Inject
    GatewayConfig config;

    @Test
    void aBurstAsLargeAsTheBulkheadAdmitsIsServedByBothInstances() throws Exception {
        answer(frontPayment, json(202, ACCEPTED));
        StateStore other = OtherInstance.on(vertx, redisUrl);
        int burst = config.bulkhead().limit() + config.bulkhead().queue();
        List<Uni<String>> otherCalls = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            String tag = UUID.randomUUID().toString();
            otherCalls.add(i % 2 == 0
                    ? other.claim("acme", "idem:" + tag, IdempotencyRecord.inFlight(tag, "fp", null), Duration.ofMinutes(1), Duration.ofMinutes(1),
                            new IdempotencyRecord.Answer(502, "UPSTREAM_OUTCOME_UNKNOWN", null, null)).map(held -> "ok")
                    : other.reserve("acme", List.of(new Counter("order:" + tag, 5)), Duration.ofMinutes(1), tag).map(wait -> "ok"));
        }
        List<String> otherOutcomes = new ArrayList<>();

        List<Response> answers = Concurrently.send(burst, i -> {
            var request = as(ACME_KEY).body(freshEmailBody());
            return (i % 2 == 0 ? request.header("Idempotency-Key", UUID.randomUUID().toString()) : request).post(resendPath(freshOrder()));
        }, () -> otherOutcomes.addAll(Uni.join().all(otherCalls.stream()
                .map(call -> call.onFailure().recoverWithItem(Throwable::toString)).toList()).andFailFast().await().indefinitely()));

        assertEquals(Map.of("202", (long) burst), answers.stream().collect(Collectors.groupingBy(
                answer -> answer.statusCode() == 202 ? "202" : answer.statusCode() + " " + answer.path("code"), Collectors.counting())));
        assertEquals(Map.of("ok", (long) burst), otherOutcomes.stream().collect(Collectors.groupingBy(outcome -> outcome, Collectors.counting())));
    }
}
