package io.paylink.gateway.ops;

import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.NOT_FOUND;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.anyResend;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.as;
import static io.paylink.gateway.support.Gateway.resend;
import static io.paylink.gateway.support.Gateway.resendPath;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.Metrics;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(WireMockFrontPayment.class)
class HealthAndMetricsTest {

    @InjectWireMock
    WireMockServer frontPayment;

    @BeforeEach
    void reset() {
        frontPayment.resetAll();
    }

    @Test
    void healthIsUpAndNeverCallsFrontPayment() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/started").then().statusCode(200);
        // the shared store is reported by wellness and a gauge, never by this instance's readiness
        given().get("/q/health/well").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("state-store"));
        given().get("/q/health/ready").then().body("checks.name", not(hasItem("state-store")));
        assertTrue(Metrics.scrape().contains("gateway_state_store_up{kind=\"memory\"} 1.0"), "store gauge");
        frontPayment.verify(0, anyResend());
    }

    @Test
    void requestUpstreamAndIdempotencySeriesMoveAfterRequests() {
        String before = Metrics.scrape();
        answer(frontPayment, json(202, ACCEPTED));
        resend(ACME_KEY, "ODR-M1", "{\"email\":\"metrics@example.no\"}").statusCode(202);
        String key = UUID.randomUUID().toString();
        as(ACME_KEY).header("Idempotency-Key", key).body("{\"email\":\"metrics@example.no\"}").post(resendPath("ODR-M2")).then()
                .statusCode(202);
        as(ACME_KEY).header("Idempotency-Key", key).body("{\"email\":\"metrics@example.no\"}").post(resendPath("ODR-M2")).then()
                .statusCode(202);
        as(ACME_KEY).header("Idempotency-Key", key).body("{\"email\":\"metrics@example.no\"}").post(resendPath("ODR-M3")).then()
                .statusCode(422);
        frontPayment.resetAll();
        answer(frontPayment, json(404, NOT_FOUND));
        resend(ACME_KEY, "ODR-M4", "{\"email\":\"metrics@example.no\"}").statusCode(404);
        resend("not-a-key", "ODR-M5", "{\"email\":\"metrics@example.no\"}").statusCode(401);
        String after = Metrics.scrape();

        String requests = "gateway_requests_total";
        assertEquals(2, Metrics.sum(after, requests, "outcome=\"ACCEPTED\"", "tenant=\"acme\"", "replayed=\"false\"")
                - Metrics.sum(before, requests, "outcome=\"ACCEPTED\"", "tenant=\"acme\"", "replayed=\"false\""));
        assertEquals(1, Metrics.sum(after, requests, "outcome=\"ACCEPTED\"", "tenant=\"acme\"", "replayed=\"true\"")
                - Metrics.sum(before, requests, "outcome=\"ACCEPTED\"", "tenant=\"acme\"", "replayed=\"true\""));
        assertEquals(1, Metrics.sum(after, requests, "outcome=\"IDEMPOTENCY_KEY_MISMATCH\"", "tenant=\"acme\"")
                - Metrics.sum(before, requests, "outcome=\"IDEMPOTENCY_KEY_MISMATCH\"", "tenant=\"acme\""));
        assertEquals(1, Metrics.sum(after, requests, "outcome=\"ORDER_NOT_FOUND\"") - Metrics.sum(before, requests, "outcome=\"ORDER_NOT_FOUND\""));
        assertEquals(1, Metrics.sum(after, requests, "outcome=\"UNAUTHENTICATED\"", "tenant=\"none\"")
                - Metrics.sum(before, requests, "outcome=\"UNAUTHENTICATED\"", "tenant=\"none\""));
        assertEquals(2, Metrics.sum(after, "gateway_upstream_seconds_count", "outcome=\"2xx\"", "tenant=\"acme\"")
                - Metrics.sum(before, "gateway_upstream_seconds_count", "outcome=\"2xx\"", "tenant=\"acme\""));
        assertEquals(1, Metrics.sum(after, "gateway_upstream_seconds_count", "outcome=\"4xx\"", "tenant=\"acme\"")
                - Metrics.sum(before, "gateway_upstream_seconds_count", "outcome=\"4xx\"", "tenant=\"acme\""));
        assertTrue(after.contains("gateway_circuit_breaker_state{target=\"" + frontPayment.baseUrl() + "\",tenant=\"acme\"} 0.0"),
                "acme's breaker closed:\n" + after);
        // SmallRye's own series would repeat the outcomes above, at a meter lookup per call
        assertFalse(Pattern.compile("(?m)^ft_").matcher(after).find(), "SmallRye Fault Tolerance series are exported");
    }

    @Test
    void noOrderIdOrContactEverBecomesALabel() {
        answer(frontPayment, json(202, ACCEPTED));
        resend(ACME_KEY, "ODR-LABEL-CHECK", "{\"phone\":\"+47 412 99 887\",\"email\":\"label-check@example.no\"}").statusCode(202);
        String all = Metrics.scrape();
        assertFalse(all.contains("ODR-LABEL-CHECK"));
        assertFalse(all.contains("label-check"));
        assertFalse(all.contains("41299887"));
    }

    /** Callers without a key choose methods and paths freely; none of it may become a series of its own. */
    @Test
    void noMethodOrPathOfACallerEverBecomesALabel() {
        Set<String> before = series(Metrics.scrape());
        Random random = new Random(9);
        String[] methods = { "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "FOO", "PROPFIND" };
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String token = "zq" + Integer.toHexString(random.nextInt(1 << 24));
            tokens.add(token);
            String path = switch (i % 5) {
                case 0 -> resendPath(token);
                case 1 -> "/v1/" + token;
                case 2 -> "/v1/orders/" + token;
                case 3 -> "/" + token;
                default -> "/q/" + token;
            };
            given().accept(i % 3 == 0 ? "text/plain" : "application/json").contentType(i % 2 == 0 ? "text/plain" : "application/json")
                    .body("{}").request(methods[random.nextInt(methods.length)], path);
        }
        Set<String> added = new TreeSet<>(series(Metrics.scrape()));
        added.removeAll(before);

        added.forEach(series -> tokens.forEach(token -> assertFalse(series.contains(token), "a caller's path became a label: " + series)));
        assertFalse(added.stream().anyMatch(series -> series.contains("FOO") || series.contains("PROPFIND")),
                "a caller's method became a label: " + added);
        added.stream().filter(series -> series.startsWith("http_server_requests")).forEach(series -> assertTrue(
                series.matches(".*uri=\"(UNMATCHED|NOT_FOUND|REDIRECTION|/v1/orders/\\{orderUuid}/payment-link/resend)\".*"),
                "an unbounded uri label: " + series));
        // bounded by methods x statuses x (count, sum, max), not by requests: one series set per request would be 300+
        assertTrue(added.size() <= 100, "100 random requests added " + added.size() + " series: " + added);
    }

    /** Every series (name and labels) in a Prometheus scrape. */
    private static Set<String> series(String scrape) {
        Set<String> all = new TreeSet<>();
        scrape.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .forEach(line -> all.add(line.substring(0, line.lastIndexOf(' '))));
        return all;
    }
}
