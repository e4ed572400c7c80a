package io.paylink.gateway.store;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.anyResend;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.ACME_TOKEN;
import static io.paylink.gateway.support.Gateway.GLOBEX_KEY;
import static io.paylink.gateway.support.Gateway.GLOBEX_TOKEN;
import static io.paylink.gateway.support.Gateway.as;
import static io.paylink.gateway.support.Gateway.assertProblem;
import static io.paylink.gateway.support.Gateway.freshEmailBody;
import static io.paylink.gateway.support.Gateway.freshOrder;
import static io.paylink.gateway.support.Gateway.resend;
import static io.paylink.gateway.support.Gateway.resendPath;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;

import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;

/**
 * In the memory store a tenant whose share is full is refused with 503 STORE_FULL: nothing is sent,
 * none of its held keys or counters is evicted, and every other tenant keeps its own share. Tests
 * share one gateway, so each fills the share of its own tenant: acme's keys, initech's counters.
 */
@QuarkusTest
@TestProfile(MemoryStorePartitionTest.TinyMemoryStore.class)
@QuarkusTestResource(WireMockFrontPayment.class)
class MemoryStorePartitionTest {

    static final int MAX_ENTRIES = 3;
    /** acme sends its MAX_ENTRIES keys for one order, so that only its keys fill up. */
    static final int PER_ORDER = MAX_ENTRIES;
    static final String INITECH_KEY = "initech-test-key";
    static final String INITECH_TOKEN = "initech-test-token";
    /** globex uses one destination in every test, so that both tests together stay within its share. */
    static final String GLOBEX_BODY = freshEmailBody();

    public static class TinyMemoryStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.store", "memory",
                    "gateway.memory-store-max-entries", String.valueOf(MAX_ENTRIES),
                    "gateway.resend-limit.per-order", String.valueOf(PER_ORDER),
                    // sha256("initech-test-key"); acme's Front Payment base URL
                    "gateway.tenants.initech.api-key-sha256", "24849b890cfc76804b7199c24a46cd0979d78112b5427000943a521b4b90adb3",
                    "gateway.tenants.initech.front-payment-token", INITECH_TOKEN);
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
    void aTenantWithAFullShareOfKeysIsRefusedWithoutEvictingOneWhileAnotherKeepsClaiming() {
        String order = freshOrder();
        String body = freshEmailBody();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < MAX_ENTRIES; i++) {
            keys.add(UUID.randomUUID().toString());
            withKey(ACME_KEY, keys.get(i), order, body).statusCode(202).header("Idempotent-Replayed", nullValue());
        }

        assertProblem(withKey(ACME_KEY, UUID.randomUUID().toString(), order, body), 503, "STORE_FULL")
                .header("Retry-After", "60").body("detail", containsString("nothing was sent"));
        frontPayment.verify(MAX_ENTRIES, sentWith(ACME_TOKEN));

        for (String key : keys) {
            withKey(ACME_KEY, key, order, body).statusCode(202).header("Idempotent-Replayed", "true");
        }
        frontPayment.verify(MAX_ENTRIES, sentWith(ACME_TOKEN));

        String globexKey = UUID.randomUUID().toString();
        String globexOrder = freshOrder();
        withKey(GLOBEX_KEY, globexKey, globexOrder, GLOBEX_BODY).statusCode(202).header("Idempotent-Replayed", nullValue());
        withKey(GLOBEX_KEY, globexKey, globexOrder, GLOBEX_BODY).statusCode(202).header("Idempotent-Replayed", "true");
        frontPayment.verify(1, sentWith(GLOBEX_TOKEN));
    }

    @Test
    void aTenantWithAFullShareOfCountersIsRefusedWhileAnotherKeepsCounting() {
        String body = freshEmailBody();
        List<String> orders = new ArrayList<>();
        // a counter per order and one for the shared destination: MAX_ENTRIES counters after MAX_ENTRIES - 1 orders
        for (int i = 0; i < MAX_ENTRIES - 1; i++) {
            orders.add(freshOrder());
            resend(INITECH_KEY, orders.get(i), body).statusCode(202);
        }

        assertProblem(resend(INITECH_KEY, freshOrder(), body), 503, "STORE_FULL").header("Retry-After", "60");
        // with a key, the claim made before the refused reservation is freed, not kept as the key's answer
        String key = UUID.randomUUID().toString();
        String order = freshOrder();
        assertProblem(withKey(INITECH_KEY, key, order, body), 503, "STORE_FULL");
        assertProblem(withKey(INITECH_KEY, key, order, body), 503, "STORE_FULL").header("Idempotent-Replayed", nullValue());
        frontPayment.verify(MAX_ENTRIES - 1, sentWith(INITECH_TOKEN));
        // its held counters still count: no new entry is needed to resend an order it already counts
        resend(INITECH_KEY, orders.get(0), body).statusCode(202);
        frontPayment.verify(MAX_ENTRIES, sentWith(INITECH_TOKEN));

        String globexOrder = freshOrder();
        for (int i = 0; i < PER_ORDER; i++) {
            resend(GLOBEX_KEY, globexOrder, GLOBEX_BODY).statusCode(202);
        }
        assertProblem(resend(GLOBEX_KEY, globexOrder, GLOBEX_BODY), 429, "RESEND_RATE_LIMITED");
        frontPayment.verify(PER_ORDER, sentWith(GLOBEX_TOKEN));
    }

    private static ValidatableResponse withKey(String apiKey, String idempotencyKey, String order, String body) {
        return as(apiKey).header("Idempotency-Key", idempotencyKey).body(body).post(resendPath(order)).then();
    }

    private static RequestPatternBuilder sentWith(String token) {
        return anyResend().withHeader("Authorization", equalTo("Bearer " + token));
    }
}
