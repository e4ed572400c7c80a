package io.paylink.gateway.store;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.GLOBEX_KEY;
import static io.paylink.gateway.support.Gateway.as;
import static io.paylink.gateway.support.Gateway.assertProblem;
import static io.paylink.gateway.support.Gateway.freshEmailBody;
import static io.paylink.gateway.support.Gateway.freshOrder;
import static io.paylink.gateway.support.Gateway.resend;
import static io.paylink.gateway.support.Gateway.resendPath;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** In the memory store, one tenant flooding unique keys and orders must not evict another tenant's records or counters. */
@QuarkusTest
@TestProfile(MemoryStorePartitionTest.TinyMemoryStore.class)
@QuarkusTestResource(WireMockFrontPayment.class)
class MemoryStorePartitionTest {

    static final int MAX_ENTRIES = 5;
    static final int PER_ORDER = 2;
    static final int FLOOD = 30;

    public static class TinyMemoryStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.store", "memory",
                    "gateway.memory-store-max-entries", String.valueOf(MAX_ENTRIES),
                    "gateway.resend-limit.per-order", String.valueOf(PER_ORDER));
        }
    }

    @InjectWireMock
    WireMockServer frontPayment;

    @BeforeEach
    void accept() {
        frontPayment.resetAll();
        answer(frontPayment, json(202, ACCEPTED));
    }

    @Test
    void anotherTenantsFloodOfKeysDoesNotEvictAnIdempotentAnswer() {
        String key = UUID.randomUUID().toString();
        String order = freshOrder();
        String body = freshEmailBody();
        as(GLOBEX_KEY).header("Idempotency-Key", key).body(body).post(resendPath(order)).then().statusCode(202);

        for (int i = 0; i < FLOOD; i++) {
            as(ACME_KEY).header("Idempotency-Key", UUID.randomUUID().toString()).body(freshEmailBody())
                    .post(resendPath(freshOrder())).then().statusCode(202);
        }

        as(GLOBEX_KEY).header("Idempotency-Key", key).body(body).post(resendPath(order)).then().statusCode(202)
                .header("Idempotent-Replayed", "true");
        frontPayment.verify(1, postRequestedFor(urlPathMatching(WireMockFrontPayment.GLOBEX_PREFIX + "/.*")));
    }

    @Test
    void anotherTenantsFloodOfOrdersDoesNotEvictALimitCounter() {
        String order = freshOrder();
        for (int i = 0; i < PER_ORDER; i++) {
            resend(GLOBEX_KEY, order, freshEmailBody()).statusCode(202);
        }

        for (int i = 0; i < FLOOD; i++) {
            resend(ACME_KEY, freshOrder(), freshEmailBody()).statusCode(202);
        }

        assertProblem(resend(GLOBEX_KEY, order, freshEmailBody()), 429, "RESEND_RATE_LIMITED");
        frontPayment.verify(PER_ORDER, postRequestedFor(urlPathMatching(WireMockFrontPayment.GLOBEX_PREFIX + "/.*")));
    }
}
