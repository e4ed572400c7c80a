package io.paylink.gateway.ops;

import static io.paylink.gateway.support.Gateway.SIM_KEY;
import static io.paylink.gateway.support.Gateway.resend;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.paylink.gateway.api.ResendRequest;
import io.paylink.gateway.problem.ProblemCode;
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
            "RESEND_RATE_LIMITED", "STORE_UNAVAILABLE", "STORE_FULL", "IDEMPOTENCY_KEY_IN_USE", "TENANT_BUDGET_EXHAUSTED");

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
        for (ProblemCode code : ProblemCode.values()) {
            String header = OPERATION + ".responses.'" + code.status() + "'.headers.Retry-After";
            if (code.hasRetryAfter()) {
                assertTrue(doc.getString(header + ".description").contains(code.name()), code + " not named under " + header);
            }
        }
        // every code under 503 carries it, so generators may rely on it there
        assertEquals(Boolean.TRUE, doc.get(OPERATION + ".responses.'503'.headers.Retry-After.required"));
    }

    /** Generators take the codes from the enum: a code in ProblemCode but not in the enum would reach callers untyped. */
    @Test
    void theProblemCodeIsAnEnumOfEveryCode() {
        List<String> documented = openApi().getList("components.schemas.Problem.properties.code.enum");
        assertEquals(Arrays.stream(ProblemCode.values()).map(ProblemCode::name).toList(), documented);
        assertTrue(documented.containsAll(CONTRACT.keySet()), documented.toString());
    }

    /** The dev/test simulator is built into this (test) build: it must still not be part of the contract. */
    @Test
    void onlyTheApiIsDocumented() {
        JsonPath doc = openApi();
        assertEquals(Set.of("/v1/orders/{orderUuid}/payment-link/resend"), doc.getMap("paths").keySet());
        assertEquals(Set.of("Problem", "ResendAccepted", "ResendRequest", "Violation"), doc.getMap("components.schemas").keySet());
    }

    @Test
    void generatorsGetAnOperationIdAServerAndTheHeaders() {
        JsonPath doc = openApi();
        assertEquals("resendPaymentLink", doc.getString(OPERATION + ".operationId"));
        assertFalse(doc.getList("servers.url").isEmpty());
        List<Map<String, Object>> parameters = doc.getList(OPERATION + ".parameters");
        Map<String, Object> idempotencyKey = parameters.stream().filter(p -> "Idempotency-Key".equals(p.get("name"))).findFirst()
                .orElseThrow();
        assertEquals("header", idempotencyKey.get("in"));
        assertNotNull(((Map<?, ?>) idempotencyKey.get("schema")).get("pattern"));
        assertTrue(parameters.stream().anyMatch(p -> "X-Request-Id".equals(p.get("name")) && "header".equals(p.get("in"))));
        assertNotNull(doc.get(OPERATION + ".responses.'202'.headers.X-Request-Id"));
        assertNotNull(doc.get(OPERATION + ".responses.'202'.headers.Idempotent-Replayed"));
        assertNotNull(doc.get(OPERATION + ".requestBody.content.'application/json'.examples"));
    }

    /**
     * The request schema offers exactly the members the API accepts: each documented member (with its
     * own example as value) gets past the strict reader, and every field of ResendRequest the schema
     * leaves out is refused as unknown. A generated client can then offer no member that fails.
     */
    @Test
    void theRequestSchemaIsExactlyWhatTheApiAccepts() {
        JsonPath doc = openApi();
        Map<String, Map<String, Object>> documented = doc.getMap("components.schemas.ResendRequest.properties");
        Set<String> candidates = new TreeSet<>(documented.keySet());
        Arrays.stream(ResendRequest.class.getDeclaredFields()).filter(f -> !Modifier.isStatic(f.getModifiers()))
                .map(Field::getName).forEach(candidates::add);
        candidates.add("emial");
        Set<String> accepted = new TreeSet<>();
        for (String member : candidates) {
            Object example = Optional.ofNullable(documented.get(member)).map(property -> (List<?>) property.get("examples"))
                    .<Object>map(examples -> examples.get(0)).orElse("x");
            int status = resend(SIM_KEY, "ODR-OPENAPI", "{\"" + member + "\":\"" + example + "\"}").extract().statusCode();
            if (status != 400) {
                accepted.add(member);
            }
        }
        assertEquals(new TreeSet<>(documented.keySet()), accepted);
        assertEquals(Boolean.FALSE, doc.get("components.schemas.ResendRequest.additionalProperties"));
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
        Map<String, Object> problem = doc.getMap("components.schemas.Problem.properties");
        assertTrue(problem.keySet().containsAll(List.of("type", "title", "status", "detail", "instance", "code", "requestId",
                "violations")), problem.toString());
    }
}
