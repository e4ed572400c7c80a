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

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.GuardPolicyProfile;
import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * The bulkhead's own refusal, past the front door: callers who hang up give their front-door places
 * back while their calls keep running, so a new request is let in, claims its Idempotency-Key and
 * finds the tenant's bulkhead full. Nothing was sent, so the key is freed and a retry with it runs
 * again (into the same full bulkhead).
 */
@QuarkusTest
@TestProfile(BulkheadRefusalTest.LongCalls.class)
@QuarkusTestResource(WireMockFrontPayment.class)
class BulkheadRefusalTest {

    /** The guard policies, with calls that hold their places long enough for a slow machine to see them full. */
    public static class LongCalls extends GuardPolicyProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("gateway.upstream.timeout", "10s");
            return overrides;
        }
    }

    private static final String BULKHEAD_FULL = "Too many calls of this tenant to Front Payment are running or waiting; nothing was sent";

    @InjectWireMock
    WireMockServer frontPayment;

    @Test
    void aKeyRefusedByAFullBulkheadIsFreed() throws Exception {
        frontPayment.resetAll();
        answer(frontPayment, json(202, ACCEPTED).withFixedDelay(5_000)); // the abandoned calls hold their places
        int places = GuardPolicyProfile.BULKHEAD_LIMIT + GuardPolicyProfile.BULKHEAD_QUEUE;
        List<Socket> callers = new ArrayList<>();
        for (int i = 0; i < places; i++) {
            callers.add(sendAndKeepOpen(freshOrder(), freshEmailBody()));
        }
        awaitResends(frontPayment, GuardPolicyProfile.BULKHEAD_LIMIT); // running; the last one waits in the queue
        for (Socket caller : callers) {
            caller.close();
        }

        String key = "bff-" + UUID.randomUUID();
        String order = freshOrder();
        String body = freshEmailBody();
        Response refused = awaitBulkheadRefusal(key, order, body);
        assertEquals("1", refused.header("Retry-After"));
        // Had the refusal been kept, this would be its replay; had the claim stayed, a 409. It runs again
        // instead: into the same full bulkhead, or, on a machine slow enough for the abandoned calls to
        // have ended meanwhile, to Front Payment.
        Response retried = keyed(key, order, body);
        assertEquals(null, retried.header("Idempotent-Replayed"), retried.asString());
        if (retried.statusCode() == 202) {
            frontPayment.verify(1, resendsOf(order));
        } else {
            assertEquals(503, retried.statusCode(), retried.asString());
            assertEquals(BULKHEAD_FULL, retried.path("detail"));
            frontPayment.verify(0, resendsOf(order));
        }
    }

    /** The front door frees the hung-up callers' places as it notices the closed connections: until then it refuses. */
    private static Response awaitBulkheadRefusal(String key, String order, String body) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            Response response = keyed(key, order, body);
            if (response.statusCode() == 503 && BULKHEAD_FULL.equals(response.path("detail"))) {
                return response;
            }
            if (response.statusCode() != 503 || System.nanoTime() > deadline) {
                throw new AssertionError("never refused by the bulkhead itself: " + response.statusCode() + " " + response.asString());
            }
            Thread.sleep(20);
        }
    }

    private static Response keyed(String key, String order, String body) {
        return as(ACME_KEY).header("Idempotency-Key", key).body(body).post(resendPath(order));
    }

    private static Socket sendAndKeepOpen(String order, String body) throws Exception {
        Socket caller = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port);
        caller.getOutputStream().write(("POST " + resendPath(order) + " HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: " + ACME_KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII));
        return caller;
    }
}
