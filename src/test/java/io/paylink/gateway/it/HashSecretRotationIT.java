package io.paylink.gateway.it;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.anyResend;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.StoredPseudonyms.hmac;
import static io.paylink.gateway.support.StoredPseudonyms.sha256;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.EmbeddedRedis;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;

/**
 * The hash secret rotated as docs/configuration.md says, on packaged gateways sharing one Redis:
 * during the rolling deploy an instance with only the old secret A runs beside one with the new
 * secret B and A as the previous; later one with only B. Each finds the other's Idempotency-Key
 * records (replay, and 422 for another request) and counts into the other's destination limits:
 * the rotation neither sends twice nor resets a limit.
 */
class HashSecretRotationIT {

    private static final String KEY = "it-api-key";
    private static final String SECRET_A = "it-hash-secret-a-not-secret-never-use-in-production";
    private static final String SECRET_B = "it-hash-secret-b-not-secret-never-use-in-production";
    private static final int PER_DESTINATION = 3;
    private static final EmbeddedRedis REDIS = new EmbeddedRedis();
    private static String redisUrl;
    private static WireMockServer frontPayment;
    private static Map<String, String> environment;

    @BeforeAll
    static void startRedisAndFrontPayment() {
        redisUrl = REDIS.start().get("quarkus.redis.hosts");
        frontPayment = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        frontPayment.start();
        answer(frontPayment, json(202, ACCEPTED));
        environment = Map.of(
                "QUARKUS_HTTP_PORT", "0",
                "GATEWAY_STORE", "redis",
                "QUARKUS_REDIS_HOSTS", redisUrl,
                "QUARKUS_REST_CLIENT_FRONT_PAYMENT_URL", frontPayment.baseUrl(),
                "GATEWAY_RESEND_LIMIT_PER_DESTINATION", String.valueOf(PER_DESTINATION),
                "GATEWAY_TENANTS__IT__API_KEY_SHA256", "26929a0319d220d8845ab862ea110394becf4469495e3a57952a7d95d41a5200",
                "GATEWAY_TENANTS__IT__FRONT_PAYMENT_TOKEN", "it-front-payment-token");
    }

    @AfterAll
    static void stop() {
        frontPayment.stop();
        REDIS.stop();
    }

    @Test
    void duringAndAfterTheRotationKeysReplayAndLimitsKeepCounting() throws Exception {
        String oldKey = "bff-" + UUID.randomUUID();
        String newKey = "bff-" + UUID.randomUUID();
        String phone = "+4791234567";
        String otherPhone = "+4741234567";
        int sent = 0;

        try (PackagedApp oldOnly = start(SECRET_A, null); PackagedApp rotating = start(SECRET_B, SECRET_A)) {
            int old = oldOnly.port();
            int both = rotating.port();
            assertTrue(rotating.lines().stream().anyMatch(line -> line.contains("Hash secret rotation in progress")), "rotation said at start");
            assertFalse(oldOnly.lines().stream().anyMatch(line -> line.contains("rotation")), "no rotation said without a previous secret");

            // a record written under A: replayed by the instance with B and previous A, and told apart from another request
            withKey(old, oldKey, "ODR-ROT-1", "kari@example.no").statusCode(202).header("Idempotent-Replayed", nullValue());
            sent++;
            withKey(both, oldKey, "ODR-ROT-1", "kari@example.no").statusCode(202).header("Idempotent-Replayed", "true");
            withKey(both, oldKey, "ODR-ROT-1", "ola@example.no").statusCode(422).body("code", equalTo("IDEMPOTENCY_KEY_MISMATCH"));
            // and the other way round, while the rolling deploy still runs instances with A alone
            withKey(both, newKey, "ODR-ROT-2", "kari@example.no").statusCode(202).header("Idempotent-Replayed", nullValue());
            sent++;
            withKey(old, newKey, "ODR-ROT-2", "kari@example.no").statusCode(202).header("Idempotent-Replayed", "true");
            withKey(old, newKey, "ODR-ROT-2", "ola@example.no").statusCode(422).body("code", equalTo("IDEMPOTENCY_KEY_MISMATCH"));
            verifySent(sent);

            // one destination's limit, counted by both instances together
            for (int port : new int[] { old, old, both }) {
                toPhone(port, phone).statusCode(202);
                sent++;
            }
            toPhone(both, phone).statusCode(429).body("code", equalTo("RESEND_RATE_LIMITED"));
            toPhone(old, phone).statusCode(429).body("code", equalTo("RESEND_RATE_LIMITED"));
            // counted by the instance with both secrets only, for the instance that will have B alone
            for (int i = 0; i < PER_DESTINATION - 1; i++) {
                toPhone(both, otherPhone).statusCode(202);
                sent++;
            }
            verifySent(sent);

            List<String> keys = redisKeys();
            assertTrue(keys.contains("gw:{it}:limit:dest:" + hmac(SECRET_A, phone)), keys::toString);
            assertTrue(keys.contains("gw:{it}:limit:dest:" + hmac(SECRET_B, phone)), keys::toString);
            assertFalse(keys.contains("gw:{it}:limit:dest:" + sha256(phone)), keys::toString);
        }

        // the previous secret removed: what the instance with both secrets wrote still counts
        try (PackagedApp newOnly = start(SECRET_B, null)) {
            int port = newOnly.port();
            withKey(port, newKey, "ODR-ROT-2", "kari@example.no").statusCode(202).header("Idempotent-Replayed", "true");
            withKey(port, newKey, "ODR-ROT-2", "ola@example.no").statusCode(422).body("code", equalTo("IDEMPOTENCY_KEY_MISMATCH"));
            toPhone(port, otherPhone).statusCode(202);
            sent++;
            toPhone(port, otherPhone).statusCode(429).body("code", equalTo("RESEND_RATE_LIMITED"));
        }
        verifySent(sent);
    }

    private static PackagedApp start(String secret, String previous) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("GATEWAY_HASH_SECRET", secret);
        if (previous != null) {
            env.put("GATEWAY_HASH_SECRET_PREVIOUS", previous);
        }
        return PackagedApp.start(env);
    }

    private static ValidatableResponse withKey(int port, String idempotencyKey, String order, String email) {
        return given().port(port).header("X-Api-Key", KEY).header("Idempotency-Key", idempotencyKey).contentType("application/json")
                .body("{\"email\":\"" + email + "\"}").post("/v1/orders/" + order + "/payment-link/resend").then();
    }

    /** A new order each time: only the destination's limit applies. */
    private static ValidatableResponse toPhone(int port, String phone) {
        return given().port(port).header("X-Api-Key", KEY).contentType("application/json").body("{\"phone\":\"" + phone + "\"}")
                .post("/v1/orders/ODR-ROT-" + UUID.randomUUID() + "/payment-link/resend").then();
    }

    private static void verifySent(int count) {
        frontPayment.verify(count, anyResend());
    }

    private static List<String> redisKeys() {
        Vertx vertx = Vertx.vertx();
        Redis client = Redis.createClient(vertx, redisUrl);
        try {
            List<String> keys = new ArrayList<>();
            for (Response key : RedisAPI.api(client).keys("*").await().indefinitely()) {
                keys.add(key.toString());
            }
            return keys;
        } finally {
            client.close();
            vertx.closeAndAwait();
        }
    }
}
