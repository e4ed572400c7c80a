package io.paylink.gateway.api;

import static io.paylink.gateway.support.Gateway.SIM_KEY;
import static io.paylink.gateway.support.Gateway.assertProblem;
import static io.paylink.gateway.support.Gateway.resend;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import io.paylink.gateway.support.LogCapture;
import io.paylink.gateway.support.Metrics;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The sample orders README promises for {@code ./mvnw quarkus:dev}: the built-in simulator, reached
 * through the whole gateway by a tenant configured like the dev demo tenant.
 */
@QuarkusTest
class SimulatorOutcomesTest {

    private static final String BOTH = "{\"phone\":\"+47 912 34 567\",\"email\":\"kari@example.no\"}";

    @Test
    void anyOtherOrderIsResent() {
        resend(SIM_KEY, "ODR347888404", BOTH).statusCode(202).body("channels", contains("SMS", "EMAIL"));
    }

    /** The simulator stands in for Front Payment: its own requests are not the gateway's traffic. */
    @Test
    void theSimulatorsOwnTrafficIsNeitherCountedNorLogged() {
        String before = Metrics.scrape();
        try (LogCapture logs = LogCapture.start()) {
            assertProblem(resend(SIM_KEY, "ODR-FAILS", BOTH), 502, "UPSTREAM_ERROR");
            List<String> lines = logs.records().stream().filter(r -> r.getLoggerName().equals("io.paylink.gateway.request"))
                    .map(r -> r.getFormattedMessage()).toList();
            assertEquals(1, lines.size(), "one request line per call: " + lines);
            assertTrue(lines.get(0).contains("/v1/orders/ODR-FAILS"), lines.get(0));
        }
        String after = Metrics.scrape();
        assertFalse(after.contains("outcome=\"510\""), "the simulator's 510 was counted as a gateway answer");
        assertFalse(after.contains("uri=\"/simulator"), () -> "the simulator's requests show in metrics: "
                + after.lines().filter(line -> line.contains("uri=\"/simulator")).toList());
        assertEquals(Metrics.sum(before, "gateway_requests_total", "tenant=\"none\""),
                Metrics.sum(after, "gateway_requests_total", "tenant=\"none\""), "the simulator's request was counted");
    }

    @ParameterizedTest
    @CsvSource({
            "ODR-NOT-FOUND, 404, ORDER_NOT_FOUND",
            "ODR-INVALID, 422, VALIDATION_FAILED",
            "ODR-PAID, 409, ORDER_ALREADY_PAID",
            "ODR-CANCELLED, 409, ORDER_CANCELLED",
            "ODR-FAILS, 502, UPSTREAM_ERROR",
            "ODR-TOKEN-REVOKED, 502, UPSTREAM_AUTH_FAILED" })
    void sampleOrdersGiveTheDocumentedAnswers(String orderUuid, int status, String code) {
        assertProblem(resend(SIM_KEY, orderUuid, BOTH), status, code);
    }
}
