package io.paylink.gateway.ops;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The published OpenAPI document against the error table of docs/api.md, written out here on purpose. */
@QuarkusTest
class OpenApiContractTest {

    private static final String OPERATION = "paths.'/v1/orders/{orderUuid}/payment-link/resend'.post";

    /** docs/api.md: every code with its status. */
    private static final Map<String, Integer> CONTRACT = Map.ofEntries(
            Map.entry("UNAUTHENTICATED", 401), Map.entry("INVALID_ORDER_UUID", 400), Map.entry("MALFORMED_REQUEST", 400),
            Map.entry("UNSUPPORTED_MEDIA_TYPE", 415), Map.entry("PAYLOAD_TOO_LARGE", 413), Map.entry("VALIDATION_FAILED", 422),
            Map.entry("ORDER_NOT_FOUND", 404), Map.entry("ORDER_ALREADY_PAID", 409), Map.entry("ORDER_CANCELLED", 409),
            Map.entry("ORDER_CONFLICT", 409), Map.entry("UPSTREAM_AUTH_FAILED", 502), Map.entry("UPSTREAM_RATE_LIMITED", 503),
            Map.entry("UPSTREAM_ERROR", 502), Map.entry("UPSTREAM_TIMEOUT", 504), Map.entry("UPSTREAM_UNAVAILABLE", 503),
            Map.entry("OVERLOADED", 503), Map.entry("RESEND_RATE_LIMITED", 429), Map.entry("IDEMPOTENCY_KEY_MISMATCH", 422),
            Map.entry("IDEMPOTENCY_KEY_IN_USE", 409), Map.entry("NOT_FOUND", 404), Map.entry("METHOD_NOT_ALLOWED", 405),
            Map.entry("STORE_UNAVAILABLE", 503), Map.entry("STORE_FULL", 503), Map.entry("DESTINATION_NOT_ALLOWED", 422),
            Map.entry("TENANT_BUDGET_EXHAUSTED", 429));

    private static final List<String> WITH_RETRY_AFTER = List.of("UPSTREAM_RATE_LIMITED", "UPSTREAM_UNAVAILABLE", "OVERLOADED",
            "RESEND_RATE_LIMITED", "STORE_UNAVAILABLE", "STORE_FULL", "TENANT_BUDGET_EXHAUSTED");

    private static JsonPath openApi() {
        return given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void everyContractCodeIsDocumentedAsAProblemExampleUnderItsStatus() {
        JsonPath doc = openApi();
        CONTRACT.forEach((code, status) -> {
            String example = OPERATION + ".responses.'" + status + "'.content.'application/problem+json'.examples." + code;
            assertNotNull(doc.get(example), "no example for " + code + " under " + status);
            assertEquals(code, doc.getString(example + ".value.code"));
            assertEquals(status.intValue(), doc.getInt(example + ".value.status"));
        });
    }

    @Test
    void retryAfterIsDocumentedWhereTheContractPromisesIt() {
        JsonPath doc = openApi();
        WITH_RETRY_AFTER.forEach(code -> assertNotNull(
                doc.get(OPERATION + ".responses.'" + CONTRACT.get(code) + "'.headers.Retry-After"), code));
    }

    @Test
    void aRefusedCountryIsDocumentedWithItsFieldAndAMaskedNumber() {
        String example = OPERATION + ".responses.'422'.content.'application/problem+json'.examples.DESTINATION_NOT_ALLOWED.value";
        JsonPath doc = openApi();
        assertEquals("phone", doc.getString(example + ".violations[0].field"));
        assertTrue(doc.getString(example + ".violations[0].message").contains("*"), doc.getString(example + ".violations[0].message"));
    }

    @Test
    void successBodyHeadersAndSecurityAreDocumented() {
        JsonPath doc = openApi();
        assertNotNull(doc.get(OPERATION + ".responses.'202'.content.'application/json'"));
        List<String> parameters = doc.getList(OPERATION + ".parameters.name");
        assertTrue(parameters.containsAll(List.of("orderUuid", "Idempotency-Key", "X-Request-Id")), parameters.toString());
        assertEquals("X-Api-Key", doc.getString("components.securitySchemes.apiKey.name"));
        Map<String, Object> request = doc.getMap("components.schemas.ResendRequest.properties");
        assertTrue(request.keySet().containsAll(List.of("phone", "countryCode", "msisdn", "email")), request.toString());
        Map<String, Object> problem = doc.getMap("components.schemas.Problem.properties");
        assertTrue(problem.keySet().containsAll(List.of("type", "title", "status", "detail", "instance", "code", "requestId",
                "violations")), problem.toString());
    }
}
