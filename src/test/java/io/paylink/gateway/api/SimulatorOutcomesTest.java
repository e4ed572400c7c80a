package io.paylink.gateway.api;

import static io.paylink.gateway.support.Gateway.SIM_KEY;
import static io.paylink.gateway.support.Gateway.assertProblem;
import static io.paylink.gateway.support.Gateway.resend;
import static org.hamcrest.Matchers.contains;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

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
