package io.paylink.gateway.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.RESEND_PATH;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.anyResend;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.as;
import static io.paylink.gateway.support.Gateway.freshEmailBody;
import static io.paylink.gateway.support.Gateway.freshOrder;
import static io.paylink.gateway.support.Gateway.resendPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.paylink.gateway.support.Concurrently;
import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.LogCapture;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** With the OpenTelemetry SDK on (it is off in the other tests): W3C trace context flows through to Front Payment. */
@QuarkusTest
@TestProfile(TracingTest.TracingOn.class)
@QuarkusTestResource(WireMockFrontPayment.class)
class TracingTest {

    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a small bulkhead, so that some calls wait in its queue for another call to finish
            return Map.of("quarkus.otel.sdk.disabled", "false",
                    "gateway.bulkhead.limit", String.valueOf(BULKHEAD_LIMIT),
                    "gateway.bulkhead.queue", String.valueOf(BULKHEAD_QUEUE));
        }
    }

    static final int BULKHEAD_LIMIT = 2;
    static final int BULKHEAD_QUEUE = 4;
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
    void aCallThatWaitedInTheBulkheadCarriesItsOwnCallersTraceAndLogLine() throws Exception {
        frontPayment.resetAll();
        frontPayment.stubFor(post(urlPathMatching(RESEND_PATH + ".*")).willReturn(json(202, ACCEPTED).withFixedDelay(300)));
        int callers = BULKHEAD_LIMIT + BULKHEAD_QUEUE;
        Map<String, String> traceOfOrder = new ConcurrentHashMap<>();
        Map<String, String> requestIdOfOrder = new ConcurrentHashMap<>();
        try (LogCapture logs = LogCapture.start()) {
            List<Response> answers = Concurrently.send(callers, n -> {
                String order = freshOrder();
                String trace = String.format("%032x", ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
                traceOfOrder.put(order, trace);
                Response answer = as(ACME_KEY).header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01")
                        .body(freshEmailBody()).post(resendPath(order)).then().extract().response();
                requestIdOfOrder.put(order, answer.header("X-Request-Id"));
                return answer;
            }, () -> {
            });

            answers.forEach(answer -> assertEquals(202, answer.statusCode(), answer.asString()));
            List<LoggedRequest> calls = frontPayment.findAll(anyResend());
            assertEquals(callers, calls.size());
            for (LoggedRequest call : calls) {
                String order = call.getUrl().substring(RESEND_PATH.length());
                assertEquals(traceOfOrder.get(order), call.getHeader("traceparent").split("-")[1], "the trace sent for " + order);
            }
            for (String order : traceOfOrder.keySet()) {
                List<ExtLogRecord> lines = logs.records().stream()
                        .filter(r -> r.getFormattedMessage().contains(" order=" + order + " ")).toList();
                assertEquals(1, lines.size(), "one request line for " + order);
                assertEquals(requestIdOfOrder.get(order), lines.get(0).getMdc("requestId"), "the request id logged for " + order);
                assertEquals(traceOfOrder.get(order), lines.get(0).getMdc("traceId"), "the trace logged for " + order);
            }
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
