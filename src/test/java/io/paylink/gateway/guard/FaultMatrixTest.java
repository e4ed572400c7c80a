package io.paylink.gateway.guard;

import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.SOMETHING_WENT_WRONG;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.anyResend;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.assertProblem;
import static io.paylink.gateway.support.Gateway.freshEmailBody;
import static io.paylink.gateway.support.Gateway.freshOrder;
import static io.paylink.gateway.support.Gateway.resend;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;

import io.paylink.gateway.support.GuardPolicyProfile;
import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.Metrics;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Every way Front Payment can fail, the exact answer, and how many calls reached it: one each,
 * because a resend that may have been received is never retried.
 */
@QuarkusTest
@TestProfile(GuardPolicyProfile.class)
@QuarkusTestResource(WireMockFrontPayment.class)
class FaultMatrixTest {

    @InjectWireMock
    WireMockServer frontPayment;

    @BeforeEach
    void reset() {
        frontPayment.resetAll();
    }

    @AfterEach
    void keepTheBreakerClosed() {
        // a success between failures keeps this tenant's breaker closed for the next case
        frontPayment.resetAll();
        answer(frontPayment, json(202, ACCEPTED));
        resend(ACME_KEY, freshOrder(), freshEmailBody()).statusCode(202);
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("answer after the time-out", json(202, ACCEPTED).withFixedDelay(GuardPolicyProfile.TIMEOUT_MILLIS + 800),
                        504, "UPSTREAM_TIMEOUT"),
                Arguments.of("connection reset", WireMock.aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), 502, "UPSTREAM_ERROR"),
                Arguments.of("empty response", WireMock.aResponse().withFault(Fault.EMPTY_RESPONSE), 502, "UPSTREAM_ERROR"),
                Arguments.of("malformed chunk", WireMock.aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK), 502, "UPSTREAM_ERROR"),
                Arguments.of("random data", WireMock.aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE), 502, "UPSTREAM_ERROR"),
                Arguments.of("HTML 502", WireMock.aResponse().withStatus(502).withHeader("Content-Type", "text/html")
                        .withBody("<html>bad gateway</html>"), 502, "UPSTREAM_ERROR"),
                Arguments.of("503", json(503, "{\"message\":\"maintenance\"}"), 502, "UPSTREAM_ERROR"),
                Arguments.of("510", json(510, SOMETHING_WENT_WRONG), 502, "UPSTREAM_ERROR"),
                Arguments.of("429", json(429, "{}").withHeader("Retry-After", "7"), 503, "UPSTREAM_RATE_LIMITED"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void eachFaultHasOneAnswerAndReachesFrontPaymentOnce(String name, ResponseDefinitionBuilder fault, int status, String code) {
        answer(frontPayment, fault);

        assertProblem(resend(ACME_KEY, freshOrder(), freshEmailBody()), status, code);

        frontPayment.verify(1, anyResend());
    }

    @Test
    void rateLimitedAnswerPassesOnFrontPaymentsRetryAfter() {
        answer(frontPayment, json(429, "{}").withHeader("Retry-After", "7"));
        resend(ACME_KEY, freshOrder(), freshEmailBody()).statusCode(503).header("Retry-After", "7");
    }

    /** Nothing listens at the offline tenant's URL: each refused attempt shows in its upstream series. */
    @Test
    void aRefusedConnectionIsRetriedUpToTheCapAndThenAnswered502WithNothingSent() {
        double before = unreachableAttempts();
        assertProblem(resend(GuardPolicyProfile.OFFLINE_KEY, freshOrder(), freshEmailBody()), 502, "UPSTREAM_ERROR")
                .body("detail", org.hamcrest.Matchers.containsString("could not be reached"));
        assertEquals(1 + GuardPolicyProfile.MAX_RETRIES, unreachableAttempts() - before);
    }

    private static double unreachableAttempts() {
        return Metrics.sum(Metrics.scrape(), "gateway_upstream_seconds_count", "outcome=\"unreachable\"", "tenant=\"offline\"");
    }
}
