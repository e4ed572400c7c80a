package io.paylink.gateway.guard;

import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.awaitResends;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.FrontPaymentStubs.resendsOf;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.as;
import static io.paylink.gateway.support.Gateway.freshEmailBody;
import static io.paylink.gateway.support.Gateway.freshOrder;
import static io.paylink.gateway.support.Gateway.resendPath;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.DurableRedis;
import io.paylink.gateway.support.DurableRedisProfile;
import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.Signals;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Redis freezes while Front Payment handles a call, so the save of its outcome times out, and then
 * Redis crashes and comes back from its append-only file: the claim is there, the save never
 * reached it. The caller has its answer; the gateway keeps retrying the save in the background, so
 * that a retry with the key gets that answer, never a second send.
 */
@QuarkusTest
@TestProfile(DurableRedisProfile.class)
@QuarkusTestResource(WireMockFrontPayment.class)
class StoreLostAcrossTheSaveTest {

    @InjectWireMock
    WireMockServer frontPayment;

    /** Set by DurableRedis itself. */
    DurableRedis redis;

    @Inject
    Idempotency idempotency;

    @Test
    void aSaveThatNeverReachedRedisIsRetriedUntilItLands() throws Exception {
        frontPayment.resetAll();
        answer(frontPayment, json(202, ACCEPTED).withFixedDelay(700));
        String key = "bff-" + UUID.randomUUID();
        String order = freshOrder();
        String body = freshEmailBody();

        CompletableFuture<Response> first = CompletableFuture.supplyAsync(() -> keyed(key, order, body));
        awaitResends(frontPayment, 1);
        Signals.freeze(redis.pid()); // claim and sending mark are in; the save will hang
        try {
            assertEquals(202, first.get(30, TimeUnit.SECONDS).statusCode(), "the caller gets Front Payment's answer all the same");
        } finally {
            redis.crashAndRestart();
        }

        // honour Retry-After while the save is still on its way; never longer than the lease
        Response retry = keyed(key, order, body);
        long deadline = System.nanoTime() + idempotency.lease().plusSeconds(5).toNanos();
        while (retry.statusCode() == 409 && System.nanoTime() < deadline) {
            Thread.sleep(Duration.ofSeconds(Long.parseLong(retry.header("Retry-After"))).toMillis() / 4);
            retry = keyed(key, order, body);
        }
        assertEquals(202, retry.statusCode(), retry.asString());
        assertEquals("true", retry.header("Idempotent-Replayed"));
        assertEquals(1, frontPayment.findAll(resendsOf(order)).size(), "one key, one call");
    }

    private static Response keyed(String key, String order, String body) {
        return as(ACME_KEY).header("Idempotency-Key", key).body(body).post(resendPath(order));
    }
}
