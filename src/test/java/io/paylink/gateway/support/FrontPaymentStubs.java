package io.paylink.gateway.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;

/** The provider page's own envelopes, and ways to stub and inspect them. */
public final class FrontPaymentStubs {

    public static final String RESEND_PATH = "/api/v1/connect/orders/resend/";

    public static final String ACCEPTED = """
            {"status_code":202,"status_message":"OK","message":"resentOrderSuccessfully","is_data":true,"data":null}""";
    public static final String NOT_FOUND = """
            {"status_code":404,"status_message":"Not Found","message":"orderNotFound","is_error":false,"errors":null}""";
    public static final String ALREADY_PAID = """
            {"status_code":400,"status_message":"Conflict of Business Logic","message":"orderStatusAlreadyPaid","is_error":false,"errors":null}""";
    public static final String ALREADY_CANCELLED = """
            {"status_code":400,"status_message":"Conflict of Business Logic","message":"orderStatusAlreadyCancelled","is_error":false,"errors":null}""";
    public static final String SOMETHING_WENT_WRONG = """
            {"status_code":510,"status_message":"Execution Exception Occurred","message":"Something Went Wrong","is_error":true,"errors":"Array"}""";

    private FrontPaymentStubs() {
    }

    public static String validationErrors(String errorsJson) {
        return "{\"status_code\":417,\"status_message\":\"Client Error\",\"message\":\"payloadValidationErrors\",\"is_error\":true,\"errors\":"
                + errorsJson + "}";
    }

    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** Any resend on the server, whatever the order id and base path. */
    public static void answer(WireMockServer server, ResponseDefinitionBuilder response) {
        server.stubFor(post(urlPathMatching(".*" + RESEND_PATH + ".*")).willReturn(response));
    }

    public static RequestPatternBuilder resendsOf(String orderUuid) {
        return WireMock.postRequestedFor(WireMock.urlPathEqualTo(RESEND_PATH + orderUuid));
    }

    public static RequestPatternBuilder anyResend() {
        return WireMock.postRequestedFor(urlPathMatching(".*" + RESEND_PATH + ".*"));
    }

    /**
     * Waits (up to 10 s) until the server has received {@code count} resends: calls that are running
     * hold their places, where a fixed pause may be too short for a cold gateway. A test that goes on
     * without them would fail for another reason, or pass for a wrong one: this fails instead. 5 s
     * was too short for the first requests of a cold test JVM and gateway on a busy 2-core machine.
     */
    public static void awaitResends(WireMockServer server, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        int seen;
        while ((seen = server.findAll(anyResend()).size()) < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Front Payment received " + seen + " resends in 10 s, the test waited for " + count);
            }
            Thread.sleep(10);
        }
    }
}
