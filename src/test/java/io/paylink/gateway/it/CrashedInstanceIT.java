package io.paylink.gateway.it;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.anyResend;
import static io.paylink.gateway.support.FrontPaymentStubs.awaitResends;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.EmbeddedRedis;
import io.restassured.response.Response;

/**
 * Serverless platforms kill instances mid-call by design. Two packaged gateways share one real Redis;
 * the first is SIGKILLed while Front Payment is handling its call. A retry with the same
 * Idempotency-Key, on the second, is told to wait while the dead holder's lease runs, then gets the
 * stored unknown-outcome answer for good: Front Payment never sees a second call. (Before leases, the
 * claim freed itself after a minute and the retry sent a second message.)
 */
class CrashedInstanceIT {

    private static final String KEY = "it-api-key";
    private static final String EMAIL = "{\"email\":\"kari@example.no\"}";
    private static final EmbeddedRedis REDIS = new EmbeddedRedis();
    private static WireMockServer frontPayment;
    private static Map<String, String> environment;

    @BeforeAll
    static void startRedisAndFrontPayment() {
        String redisUrl = REDIS.start().get("quarkus.redis.hosts");
        frontPayment = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        frontPayment.start();
        environment = Map.ofEntries(PackagedApp.HASH_SECRET,
                Map.entry("QUARKUS_HTTP_PORT", "0"),
                Map.entry("GATEWAY_STORE", "redis"),
                Map.entry("QUARKUS_REDIS_HOSTS", redisUrl),
                Map.entry("QUARKUS_REST_CLIENT_FRONT_PAYMENT_URL", frontPayment.baseUrl()),
                // a lease (time-out + store time-out + 1 s) long enough to outlast the second instance's start
                Map.entry("GATEWAY_UPSTREAM_TIMEOUT", "10s"),
                Map.entry("GATEWAY_UPSTREAM_RETRY_MAX_RETRIES", "0"),
                Map.entry("GATEWAY_TENANTS__IT__API_KEY_SHA256", "26929a0319d220d8845ab862ea110394becf4469495e3a57952a7d95d41a5200"),
                Map.entry("GATEWAY_TENANTS__IT__FRONT_PAYMENT_TOKEN", "it-front-payment-token"));
    }

    @AfterAll
    static void stop() {
        frontPayment.stop();
        REDIS.stop();
    }

    @Test
    void aRetryAfterTheHolderWasKilledGetsTheUnknownOutcomeNeverASecondSend() throws Exception {
        answer(frontPayment, json(202, ACCEPTED).withFixedDelay(60_000)); // Front Payment is still at it when the holder dies
        String idempotencyKey = "bff-" + UUID.randomUUID();

        PackagedApp holder = PackagedApp.start(environment);
        try {
            HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + holder.port()
                    + "/v1/orders/ODR-CRASH/payment-link/resend"))
                    .header("X-Api-Key", KEY).header("Idempotency-Key", idempotencyKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(EMAIL)).build(), HttpResponse.BodyHandlers.discarding());
            awaitResends(frontPayment, 1);
        } finally {
            holder.kill();
        }

        PackagedApp survivor = PackagedApp.start(environment);
        try {
            int port = survivor.port();
            // While the dead holder's lease runs (unless the start outlasted it), 409 with Retry-After:
            // a client that honours it, for as long as the lease may run, then gets the final word.
            Response later = resend(port, idempotencyKey);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (later.statusCode() == 409 && System.nanoTime() < deadline) {
                assertEquals("IDEMPOTENCY_KEY_IN_USE", later.path("code"));
                Thread.sleep(Duration.ofSeconds(Long.parseLong(later.header("Retry-After"))).toMillis());
                later = resend(port, idempotencyKey);
            }
            assertEquals(502, later.statusCode(), later.asString());
            assertEquals("UPSTREAM_OUTCOME_UNKNOWN", later.path("code"));

            Response replayed = resend(port, idempotencyKey);
            assertEquals("UPSTREAM_OUTCOME_UNKNOWN", replayed.path("code"));
            assertEquals("true", replayed.header("Idempotent-Replayed"));
            assertEquals(1, frontPayment.findAll(anyResend()).size(), "one key, one call to Front Payment");
            assertTrue(replayed.asString().contains("new Idempotency-Key"), replayed.asString());
        } finally {
            survivor.close();
        }
    }

    private static Response resend(int port, String idempotencyKey) {
        return given().port(port).header("X-Api-Key", KEY).header("Idempotency-Key", idempotencyKey)
                .contentType("application/json").body(EMAIL).post("/v1/orders/ODR-CRASH/payment-link/resend");
    }
}
