package io.paylink.gateway.upstream;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.FrontPaymentStubs.resendsOf;
import static io.paylink.gateway.support.Gateway.as;
import static io.paylink.gateway.support.Gateway.assertProblem;
import static io.paylink.gateway.support.Gateway.freshEmailBody;
import static io.paylink.gateway.support.Gateway.freshOrder;
import static io.paylink.gateway.support.Gateway.resend;
import static io.paylink.gateway.support.Gateway.resendPath;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.paylink.gateway.support.LogCapture;
import io.paylink.gateway.support.RenegotiatingServer;
import io.paylink.gateway.support.TlsFrontPayment;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;

/**
 * Front Payment over HTTPS. A certificate the gateway does not trust fails the handshake, before any
 * byte of the request can be written: that is as "not sent" as a refused connection.
 */
@QuarkusTest
@TestProfile(UpstreamTlsTest.Https.class)
@QuarkusTestResource(WireMockFrontPayment.class)
class UpstreamTlsTest {

    /** One resend per order and per destination, so that a counted attempt shows as a 429. */
    public static class Https implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gateway.resend-limit.per-order", "1",
                    "gateway.resend-limit.per-destination", "1",
                    "gateway.upstream.retry.max-retries", "2",
                    "gateway.upstream.retry.delay", "20ms",
                    "gateway.upstream.retry.jitter", "10ms");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TlsFrontPayment.class));
        }
    }

    @TlsFrontPayment.Untrusted
    WireMockServer untrusted;

    @TlsFrontPayment.Trusted
    WireMockServer trusted;

    RenegotiatingServer renegotiating;

    @BeforeEach
    void reset() {
        untrusted.resetAll();
        trusted.resetAll();
    }

    private static ValidatableResponse resendWithKey(String apiKey, String idempotencyKey, String order, String body) {
        return as(apiKey).header("Idempotency-Key", idempotencyKey).body(body).post(resendPath(order)).then();
    }

    @Test
    void anUntrustedCertificateIsUnreachableNotSentFreesTheKeyAndTheLimitAndIsWarned() {
        answer(untrusted, json(202, ACCEPTED)); // what it would answer, had the handshake succeeded
        String key = "bff-" + UUID.randomUUID();
        String order = freshOrder();
        String body = freshEmailBody();
        try (LogCapture logs = LogCapture.start()) {
            assertProblem(resendWithKey(TlsFrontPayment.UNTRUSTED_KEY, key, order, body), 502, "UPSTREAM_ERROR")
                    .body("detail", containsString("nothing was sent"));
            // not a replay: the key was freed, so the retry runs (and fails the same way)
            assertProblem(resendWithKey(TlsFrontPayment.UNTRUSTED_KEY, key, order, body), 502, "UPSTREAM_ERROR")
                    .body("detail", containsString("nothing was sent")).header("Idempotent-Replayed", nullValue());
            // the limit is one resend of this order and destination: a counted attempt would make this a 429
            assertProblem(resend(TlsFrontPayment.UNTRUSTED_KEY, order, body), 502, "UPSTREAM_ERROR");

            assertEquals(0, untrusted.findAll(anyRequestedFor(anyUrl())).size(), "no request got past the handshake");
            List<String> warnings = logs.records().stream()
                    .filter(r -> r.getLoggerName().equals(UpstreamTrouble.class.getName()) && r.getLevel().intValue() == Level.WARNING.intValue())
                    .map(ExtLogRecord::getFormattedMessage)
                    .toList();
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("tenant untrusted") && warnings.get(0).contains("https://127.0.0.1:" + untrusted.httpsPort()),
                    warnings.get(0));
        }
    }

    @Test
    void aCertificateInTheConfiguredTrustStoreIsAccepted() {
        answer(trusted, json(202, ACCEPTED));
        String order = freshOrder();
        resend(TlsFrontPayment.TRUSTED_KEY, order, freshEmailBody()).statusCode(202);
        trusted.verify(1, resendsOf(order).withHeader("Authorization", WireMock.equalTo("Bearer trusted-test-token")));
    }

    @Test
    void anHttpsUrlToAPlainHttpPortIsUnreachable() {
        answer(untrusted, json(202, ACCEPTED));
        assertProblem(resend(TlsFrontPayment.PLAINTEXT_KEY, freshOrder(), freshEmailBody()), 502, "UPSTREAM_ERROR")
                .body("detail", containsString("nothing was sent"));
        assertEquals(0, untrusted.findAll(anyRequestedFor(anyUrl())).size(), "no request got past the handshake");
    }

    /** Only the opening handshake comes before the request: a failed second one may follow a message sent. */
    @Test
    void aHandshakeThatFailsAfterTheRequestWasReadStaysAmbiguous() {
        String key = "bff-" + UUID.randomUUID();
        String order = freshOrder();
        String body = freshEmailBody();
        assertProblem(resendWithKey(TlsFrontPayment.RENEGOTIATING_KEY, key, order, body), 502, "UPSTREAM_ERROR")
                .body("detail", containsString("may or may not have been sent"));
        assertEquals(1, renegotiating.requestsRead());

        assertProblem(resendWithKey(TlsFrontPayment.RENEGOTIATING_KEY, key, order, body), 502, "UPSTREAM_ERROR")
                .header("Idempotent-Replayed", "true");
        assertEquals(1, renegotiating.requestsRead());
    }
}
