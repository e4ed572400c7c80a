package io.paylink.gateway.guard;

import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.anyResend;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.FrontPaymentStubs.resendsOf;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.as;
import static io.paylink.gateway.support.Gateway.assertProblem;
import static io.paylink.gateway.support.Gateway.freshEmailBody;
import static io.paylink.gateway.support.Gateway.freshOrder;
import static io.paylink.gateway.support.Gateway.resend;
import static io.paylink.gateway.support.Gateway.resendPath;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.GuardPolicyProfile;
import io.paylink.gateway.support.InjectRedisUrl;
import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.RedisStoreProfile;
import io.paylink.gateway.support.Signals;
import io.paylink.gateway.support.StoredPseudonyms;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import redis.embedded.RedisServer;

/** The whole gateway with gateway.store=redis, including Redis going away. */
@QuarkusTest
@TestProfile(RedisStoreProfile.class)
@QuarkusTestResource(WireMockFrontPayment.class)
class RedisBackedGuardsTest {

    static final int CONCURRENT = 40;

    @InjectWireMock
    WireMockServer frontPayment;

    RedisServer redis;

    @InjectRedisUrl
    String redisUrl;

    @Inject
    Vertx vertx;

    @BeforeEach
    void accept() {
        frontPayment.resetAll();
        answer(frontPayment, json(202, ACCEPTED));
    }

    @Test
    void idempotentReplayWorksThroughRedis() {
        String key = UUID.randomUUID().toString();
        String order = freshOrder();
        String body = freshEmailBody();
        as(ACME_KEY).header("Idempotency-Key", key).body(body).post(resendPath(order)).then().statusCode(202);
        as(ACME_KEY).header("Idempotency-Key", key).body(body).post(resendPath(order)).then().statusCode(202)
                .header("Idempotent-Replayed", "true");
        frontPayment.verify(1, anyResend());
    }

    @Test
    void resendLimitsWorkThroughRedis() {
        String order = freshOrder();
        for (int i = 0; i < GuardPolicyProfile.PER_ORDER; i++) {
            resend(ACME_KEY, order, freshEmailBody()).statusCode(202);
        }
        assertProblem(resend(ACME_KEY, order, freshEmailBody()), 429, "RESEND_RATE_LIMITED");
    }

    /**
     * Redis is shared by every instance: readiness stays UP (taking all instances out of routing would
     * turn our 503 with Retry-After into connection errors), wellness and the gauge say DOWN.
     */
    @Test
    void whenRedisIsDownNothingIsSentReadinessStaysUpAndWellnessSaysDown() throws Exception {
        given().get("/q/health/well").then().statusCode(200).body("checks.name", hasItem("state-store"));
        redis.stop();
        try {
            assertProblem(resend(ACME_KEY, freshOrder(), freshEmailBody()), 503, "STORE_UNAVAILABLE")
                    .header("Retry-After", "5");
            assertProblem(as(ACME_KEY).header("Idempotency-Key", UUID.randomUUID().toString()).body(freshEmailBody())
                    .post(resendPath(freshOrder())).then(), 503, "STORE_UNAVAILABLE");
            given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            given().get("/q/health/well").then().statusCode(503).body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'state-store' }.status", equalTo("DOWN"));
            given().get("/q/metrics").then().body(containsString("gateway_state_store_up{kind=\"redis\"} 0.0"));
            frontPayment.verify(0, anyResend());
        } finally {
            redis.start();
        }
        given().get("/q/health/well").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().body(containsString("gateway_state_store_up{kind=\"redis\"} 1.0"));
        resend(ACME_KEY, freshOrder(), freshEmailBody()).statusCode(202);
    }

    /**
     * With Redis down, the store's failures come back on whichever request's connection attempt
     * failed: each answer must still carry its own request's id, not another caller's.
     */
    @Test
    void whenRedisIsDownEachConcurrentAnswerCarriesItsOwnRequestId() throws Exception {
        redis.stop();
        ExecutorService callers = Executors.newFixedThreadPool(CONCURRENT);
        try {
            List<Future<String>> mismatches = new ArrayList<>();
            for (int i = 0; i < CONCURRENT; i++) {
                String requestId = "down-" + i + "-" + UUID.randomUUID();
                mismatches.add(callers.submit(() -> {
                    String answered = as(ACME_KEY).header("X-Request-Id", requestId)
                            .header("Idempotency-Key", UUID.randomUUID().toString()).body(freshEmailBody())
                            .post(resendPath(freshOrder())).then().statusCode(503).extract().path("requestId");
                    return requestId.equals(answered) ? null : requestId + " answered as " + answered;
                }));
            }
            List<String> wrong = new ArrayList<>();
            for (Future<String> mismatch : mismatches) {
                String found = mismatch.get(1, TimeUnit.MINUTES);
                if (found != null) {
                    wrong.add(found);
                }
            }
            assertEquals(List.of(), wrong);
        } finally {
            callers.shutdownNow();
            redis.start();
        }
        frontPayment.verify(0, anyResend());
    }

    /**
     * A Redis that accepts connections but never answers (the process is stopped) must not hold
     * requests: past gateway.store-timeout they fail closed. Redis is resumed after a while in any
     * case, so without a deadline the requests complete late, as 202s that reached Front Payment.
     */
    @Test
    void whenRedisHangsRequestsFailClosedAtTheStoreDeadline() throws Exception {
        String idempotencyKey = UUID.randomUUID().toString();
        String order = freshOrder();
        String body = freshEmailBody();
        long pid = redisPid();
        ScheduledExecutorService resume = Executors.newSingleThreadScheduledExecutor();
        Signals.freeze(pid);
        try {
            resume.schedule(() -> Signals.thaw(pid), 5, TimeUnit.SECONDS);
            assertProblem(resend(ACME_KEY, freshOrder(), freshEmailBody()), 503, "STORE_UNAVAILABLE");
            assertProblem(as(ACME_KEY).header("Idempotency-Key", idempotencyKey).body(body).post(resendPath(order)).then(),
                    503, "STORE_UNAVAILABLE");
            given().get("/q/health/well").then().statusCode(503).body("status", equalTo("DOWN"));
            given().get("/q/health/ready").then().statusCode(200);
            frontPayment.verify(0, anyResend());
        } finally {
            Signals.thaw(pid);
            resume.shutdownNow();
        }
        resend(ACME_KEY, freshOrder(), freshEmailBody()).statusCode(202);
        // The claim sent to the frozen Redis reached it when it resumed, long after its 503 promised that
        // nothing happened: it must not hold the key now, or the retry the 503 invited would get 409.
        as(ACME_KEY).header("Idempotency-Key", idempotencyKey).body(body).post(resendPath(order))
                .then().statusCode(202).header("Idempotent-Replayed", nullValue());
        frontPayment.verify(1, resendsOf(order));
    }

    /**
     * Records are written by other instances, possibly of a newer version with more fields (here at
     * the top, in the answer and in a violation); reading them must not depend on the strictness
     * the gateway applies to callers' bodies.
     */
    @Test
    void aStoredAnswerWithFieldsThisVersionDoesNotKnowIsReplayed() {
        String idempotencyKey = UUID.randomUUID().toString();
        String order = freshOrder();
        String email = "newer-record@example.no";
        String fingerprint = StoredPseudonyms.hmac(StoredPseudonyms.configuredSecret(), StoredPseudonyms.fingerprintOf(order, null, null, email));
        String record = """
                {"owner":"another-instance","fingerprint":"%s","storedAt":1764159000,
                 "answer":{"status":422,"code":"VALIDATION_FAILED","detail":"Front Payment rejected the request","retryable":false,
                  "violations":[{"field":"email","message":"not deliverable","source":"upstream"}]}}""".formatted(fingerprint);
        rawRedis(redis -> redis.set(List.of("gw:{acme}:idem:" + Idempotency.sha256(idempotencyKey), record)));

        assertProblem(as(ACME_KEY).header("Idempotency-Key", idempotencyKey).body("{\"email\":\"" + email + "\"}")
                .post(resendPath(order)).then(), 422, "VALIDATION_FAILED")
                .header("Idempotent-Replayed", "true")
                .body("detail", equalTo("Front Payment rejected the request"))
                .body("violations[0].field", equalTo("email"))
                .body("violations[0].message", equalTo("not deliverable"));
        frontPayment.verify(0, anyResend());
    }

    /**
     * The version before the hash secret stored a plain SHA-256 fingerprint (and no previous one): a
     * retry that crosses the upgrade gets the answer stored before it, and nothing is sent again.
     */
    @Test
    void aRecordOfTheVersionBeforeKeyedHashesIsReplayed() {
        String idempotencyKey = UUID.randomUUID().toString();
        String order = freshOrder();
        String email = "before-upgrade@example.no";
        String record = """
                {"owner":"%s","fingerprint":"%s","answer":{"status":202}}"""
                .formatted(UUID.randomUUID(), StoredPseudonyms.sha256(StoredPseudonyms.fingerprintOf(order, null, null, email)));
        rawRedis(redis -> redis.set(List.of("gw:{acme}:idem:" + Idempotency.sha256(idempotencyKey), record)));

        as(ACME_KEY).header("Idempotency-Key", idempotencyKey).body("{\"email\":\"" + email + "\"}").post(resendPath(order))
                .then().statusCode(202).header("Idempotent-Replayed", "true").body("orderUuid", equalTo(order));
        assertProblem(as(ACME_KEY).header("Idempotency-Key", idempotencyKey).body("{\"email\":\"other-" + email + "\"}")
                .post(resendPath(order)).then(), 422, "IDEMPOTENCY_KEY_MISMATCH");
        frontPayment.verify(0, anyResend());
    }

    private long redisPid() {
        String info = rawRedis(redis -> redis.info(List.of("server"))).toString();
        Matcher pid = Pattern.compile("process_id:(\\d+)").matcher(info);
        if (!pid.find()) {
            throw new IllegalStateException("no process_id in INFO server");
        }
        return Long.parseLong(pid.group(1));
    }

    /** A command on a connection of its own, not the gateway's. */
    private Response rawRedis(Function<RedisAPI, Uni<Response>> command) {
        Redis client = Redis.createClient(vertx, redisUrl);
        try {
            return command.apply(RedisAPI.api(client)).await().indefinitely();
        } finally {
            client.close();
        }
    }
}
