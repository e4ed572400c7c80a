package io.paylink.gateway.guard;

import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.anyResend;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.as;
import static io.paylink.gateway.support.Gateway.freshOrder;
import static io.paylink.gateway.support.Gateway.resendPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.Await;
import io.paylink.gateway.support.GuardPolicyProfile;
import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.LogCapture;
import io.paylink.gateway.support.Metrics;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * A caller that goes away while Front Payment is still answering does not cancel the send: the
 * call completes, its outcome is stored against the Idempotency-Key, counted and logged.
 */
@QuarkusTest
@TestProfile(GuardPolicyProfile.class)
@QuarkusTestResource(WireMockFrontPayment.class)
class CallerDisconnectTest {

    @InjectWireMock
    WireMockServer frontPayment;

    @Test
    void theSendCompletesAndIsStoredCountedAndLoggedAfterTheCallerLeft() throws Exception {
        frontPayment.resetAll();
        answer(frontPayment, json(202, ACCEPTED).withFixedDelay(GuardPolicyProfile.TIMEOUT_MILLIS / 3));
        String key = "leaving-" + UUID.randomUUID();
        String order = freshOrder();
        String body = "{\"email\":\"" + order.toLowerCase() + "@example.no\"}";
        String metricsBefore = Metrics.scrape();

        try (LogCapture logs = LogCapture.start()) {
            try (Socket caller = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port)) {
                OutputStream out = caller.getOutputStream();
                out.write(("POST " + resendPath(order) + " HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: " + ACME_KEY
                        + "\r\nIdempotency-Key: " + key + "\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Await.count("resends Front Payment received", () -> frontPayment.findAll(anyResend()).size(), 1);
            } // the caller hangs up while Front Payment is still answering

            // the abandoned request is accounted for once its outcome is stored
            Await.count("log lines of the abandoned request", () -> (int) logs.text().lines().filter(line -> line.contains("order=" + order)).count(), 1);
            Response retry = as(ACME_KEY).header("Idempotency-Key", key).body(body).post(resendPath(order)).andReturn();
            // 202 as a rule; 504 if a slow machine let the call outlast the time-out: stored all the same
            assertTrue(retry.statusCode() == 202 || retry.statusCode() == 504,
                    "the retry gets the outcome of the abandoned request: " + retry.asString());
            String outcome = retry.statusCode() == 202 ? "ACCEPTED" : "UPSTREAM_TIMEOUT";
            assertEquals("true", retry.header("Idempotent-Replayed"));
            frontPayment.verify(1, anyResend());
            String[] labels = { "outcome=\"" + outcome + "\"", "replayed=\"false\"", "tenant=\"acme\"" };
            assertEquals(1, Metrics.sum(Metrics.scrape(), "gateway_requests_total", labels)
                    - Metrics.sum(metricsBefore, "gateway_requests_total", labels), "the abandoned request is counted");
            assertTrue(logs.text().lines().anyMatch(line -> line.contains("order=" + order) && line.contains("outcome=" + outcome)
                    && !line.contains("replayed=true")), "the abandoned request is logged:\n" + logs.text());
        }
    }
}
