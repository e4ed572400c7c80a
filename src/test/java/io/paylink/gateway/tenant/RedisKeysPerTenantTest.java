package io.paylink.gateway.tenant;

import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.anyResend;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.GLOBEX_KEY;
import static io.paylink.gateway.support.Gateway.as;
import static io.paylink.gateway.support.Gateway.assertProblem;
import static io.paylink.gateway.support.Gateway.freshEmailBody;
import static io.paylink.gateway.support.Gateway.freshOrder;
import static io.paylink.gateway.support.Gateway.resend;
import static io.paylink.gateway.support.Gateway.resendPath;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.PatientRedisStoreProfile;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;

/**
 * Redis is shared by every tenant: one tenant holding as many idempotency records as it likes for
 * a day could fill it for all. Past its bound a tenant's new key is refused before anything is sent;
 * what it holds still replays, and other tenants keep their own room.
 */
@QuarkusTest
@TestProfile(RedisKeysPerTenantTest.ThreeKeysPerTenant.class)
@QuarkusTestResource(WireMockFrontPayment.class)
class RedisKeysPerTenantTest {

    static final int MAX_KEYS = 3;

    public static class ThreeKeysPerTenant extends PatientRedisStoreProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("gateway.redis-store.max-keys-per-tenant", String.valueOf(MAX_KEYS));
            return overrides;
        }
    }

    @InjectWireMock
    WireMockServer frontPayment;

    @Test
    void aTenantPastItsBoundGetsStoreFullNothingIsSentWhatItHoldsReplaysAndOthersAreUnaffected() {
        frontPayment.resetAll();
        answer(frontPayment, json(202, ACCEPTED));
        String[] keys = new String[MAX_KEYS];
        String[] orders = new String[MAX_KEYS];
        String[] bodies = new String[MAX_KEYS];
        for (int i = 0; i < MAX_KEYS; i++) {
            keys[i] = UUID.randomUUID().toString();
            orders[i] = freshOrder();
            bodies[i] = freshEmailBody();
            withKey(ACME_KEY, keys[i], orders[i], bodies[i]).statusCode(202).header("Idempotent-Replayed", (String) null);
        }
        frontPayment.verify(MAX_KEYS, anyResend());

        assertProblem(withKey(ACME_KEY, UUID.randomUUID().toString(), freshOrder(), freshEmailBody()), 503, "STORE_FULL")
                .header("Retry-After", "60");
        frontPayment.verify(MAX_KEYS, anyResend());

        for (int i = 0; i < MAX_KEYS; i++) {
            withKey(ACME_KEY, keys[i], orders[i], bodies[i]).statusCode(202).header("Idempotent-Replayed", "true");
        }
        frontPayment.verify(MAX_KEYS, anyResend());

        // the bound is on records: a resend without a key keeps none and still goes
        resend(ACME_KEY, freshOrder(), freshEmailBody()).statusCode(202);
        // globex has a bound of its own, untouched by acme's full one
        for (int i = 0; i < MAX_KEYS; i++) {
            withKey(GLOBEX_KEY, UUID.randomUUID().toString(), freshOrder(), freshEmailBody()).statusCode(202);
        }
        frontPayment.verify(MAX_KEYS + 1 + MAX_KEYS, anyResend());
    }

    private static ValidatableResponse withKey(String apiKey, String idempotencyKey, String order, String body) {
        return as(apiKey).header("Idempotency-Key", idempotencyKey).body(body).post(resendPath(order)).then();
    }
}
