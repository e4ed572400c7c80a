package io.paylink.gateway.guard;

import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.anyResend;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.as;
import static io.paylink.gateway.support.Gateway.assertProblem;
import static io.paylink.gateway.support.Gateway.freshEmailBody;
import static io.paylink.gateway.support.Gateway.freshOrder;
import static io.paylink.gateway.support.Gateway.resend;
import static io.paylink.gateway.support.Gateway.resendPath;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.GuardPolicyProfile;
import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.RedisStoreProfile;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import redis.embedded.RedisServer;

/** The whole gateway with gateway.store=redis, including Redis going away. */
@QuarkusTest
@TestProfile(RedisStoreProfile.class)
@QuarkusTestResource(WireMockFrontPayment.class)
class RedisBackedGuardsTest {

    @InjectWireMock
    WireMockServer frontPayment;

    RedisServer redis;

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

    @Test
    void whenRedisIsDownNothingIsSentAndReadinessSaysSo() throws Exception {
        given().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("state-store"));
        redis.stop();
        try {
            assertProblem(resend(ACME_KEY, freshOrder(), freshEmailBody()), 503, "STORE_UNAVAILABLE")
                    .header("Retry-After", "5");
            assertProblem(as(ACME_KEY).header("Idempotency-Key", UUID.randomUUID().toString()).body(freshEmailBody())
                    .post(resendPath(freshOrder())).then(), 503, "STORE_UNAVAILABLE");
            given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
            frontPayment.verify(0, anyResend());
        } finally {
            redis.start();
        }
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        resend(ACME_KEY, freshOrder(), freshEmailBody()).statusCode(202);
    }
}
