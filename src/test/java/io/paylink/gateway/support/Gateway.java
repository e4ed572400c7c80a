package io.paylink.gateway.support;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.util.concurrent.atomic.AtomicInteger;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** Calls the gateway's public API the way a BFF does, and checks problem answers. */
public final class Gateway {

    public static final String ACME_KEY = "acme-test-key";
    public static final String ACME_TOKEN = "acme-test-token";
    public static final String GLOBEX_KEY = "globex-test-key";
    public static final String GLOBEX_TOKEN = "globex-test-token";
    public static final String SIM_KEY = "sim-test-key";

    private static final AtomicInteger UNIQUE = new AtomicInteger();

    private Gateway() {
    }

    /** A body with an e-mail no other request used, so that resend limits never interfere. */
    public static String freshEmailBody() {
        return "{\"email\":\"fresh" + UNIQUE.incrementAndGet() + "@example.no\"}";
    }

    /** An order id no other request used. */
    public static String freshOrder() {
        return "ODR-FRESH" + UNIQUE.incrementAndGet();
    }

    public static String resendPath(String orderUuid) {
        return "/v1/orders/" + orderUuid + "/payment-link/resend";
    }

    public static RequestSpecification as(String apiKey) {
        return given().header("X-Api-Key", apiKey).contentType(ContentType.JSON);
    }

    public static ValidatableResponse resend(String apiKey, String orderUuid, String body) {
        return as(apiKey).body(body).post(resendPath(orderUuid)).then();
    }

    /** Every problem answer: RFC 9457 fields, our extensions, and nothing secret or internal. */
    public static ValidatableResponse assertProblem(ValidatableResponse response, int status, String code) {
        String requestId = response.extract().header("X-Request-Id");
        return response.statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("code", equalTo(code))
                .body("type", equalTo("urn:problem-type:resend-gateway:" + code.toLowerCase().replace('_', '-')))
                .body("title", not(equalTo(null)))
                .body("detail", not(equalTo(null)))
                .body("instance", not(equalTo(null)))
                .body("requestId", equalTo(requestId))
                .body(not(containsString(ACME_TOKEN)))
                .body(not(containsString(GLOBEX_TOKEN)))
                .body(not(containsString(ACME_KEY)))
                .body(not(containsString("Exception")))
                .body(not(containsString("io.paylink")))
                .body(not(containsString("\tat ")));
    }
}
