package io.paylink.gateway.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.anyResend;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.as;
import static io.paylink.gateway.support.Gateway.resendPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.LogCapture;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With the OpenTelemetry SDK on (it is off in the other tests): W3C trace context flows through to Front Payment. */
@QuarkusTest
@TestProfile(TracingTest.TracingOn.class)
@QuarkusTestResource(WireMockFrontPayment.class)
class TracingTest {

    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false");
        }
    }

    private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @InjectWireMock
    WireMockServer frontPayment;

    @Test
    void theCallersTraceContinuesToFrontPaymentAndIntoTheRequestLogLine() {
        try (LogCapture logs = LogCapture.start()) {
            frontPayment.resetAll();
            answer(frontPayment, json(202, ACCEPTED));
            String requestId = as(ACME_KEY).header("traceparent", "00-" + CALLER_TRACE + "-00f067aa0ba902b7-01")
                    .body("{\"email\":\"trace@example.no\"}").post(resendPath("ODR-TRACE"))
                    .then().statusCode(202).extract().header("X-Request-Id");

            frontPayment.verify(1, anyResend().withHeader("traceparent", matching("00-" + CALLER_TRACE + "-[0-9a-f]{16}-01")));
            ExtLogRecord line = logs.records().stream().filter(r -> r.getFormattedMessage().contains("order=ODR-TRACE"))
                    .findFirst().orElseThrow();
            assertEquals(CALLER_TRACE, line.getMdc("traceId"));
            assertEquals(requestId, line.getMdc("requestId"));
        }
    }

    @Test
    void aRequestWithoutTraceContextStartsANewTraceUpstream() {
        frontPayment.resetAll();
        answer(frontPayment, json(202, ACCEPTED));
        as(ACME_KEY).body("{\"email\":\"trace2@example.no\"}").post(resendPath("ODR-TRACE2")).then().statusCode(202);
        frontPayment.verify(1, anyResend().withHeader("traceparent", matching("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]")));
        assertTrue(frontPayment.findAll(anyResend()).get(0).getHeader("traceparent").length() == 55);
    }
}
