package io.paylink.gateway.it;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.SOMETHING_WENT_WRONG;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.FrontPaymentStubs.resendsOf;
import static io.paylink.gateway.support.Gateway.resendPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

/**
 * The Lambda form as AWS runs it: the packaged function (the Lambda jar in verify, its native
 * executable in CI when the native builder is there) polls a stand-in of the Lambda Runtime API for
 * API Gateway HTTP API events (payload format 2.0, also what function URLs send) and posts back the
 * answers, which are checked as API Gateway would turn them into HTTP: status, headers, body.
 * WireMock is Front Payment. One function process serves every test, as one warm execution
 * environment serves invocation after invocation.
 */
class LambdaIT {

    private static final String KEY = "it-api-key";
    private static final String TOKEN = "it-front-payment-token";
    private static final String EMAIL = "{\"email\":\"kari@example.no\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static WireMockServer frontPayment;
    private static LambdaRuntimeApi runtime;
    private static PackagedApp function;

    @BeforeAll
    static void startFunction() throws Exception {
        frontPayment = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        frontPayment.start();
        runtime = new LambdaRuntimeApi();
        function = PackagedApp.startLambda(Map.of(
                PackagedApp.HASH_SECRET.getKey(), PackagedApp.HASH_SECRET.getValue(),
                "AWS_LAMBDA_RUNTIME_API", runtime.address(),
                "QUARKUS_REST_CLIENT_FRONT_PAYMENT_URL", "http://127.0.0.1:" + frontPayment.port(),
                "GATEWAY_TENANTS__IT__API_KEY_SHA256", "26929a0319d220d8845ab862ea110394becf4469495e3a57952a7d95d41a5200",
                "GATEWAY_TENANTS__IT__FRONT_PAYMENT_TOKEN", TOKEN,
                "QUARKUS_MANAGEMENT_PORT", "0"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (function != null) {
            function.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (frontPayment != null) {
            frontPayment.stop();
        }
    }

    @BeforeEach
    void reset() {
        frontPayment.resetAll();
    }

    @Test
    void anAcceptedResendIsA202WithTheTenantsTokenSentUpstream() throws Exception {
        answer(frontPayment, json(202, ACCEPTED));

        JsonNode answer = invoke(resendEvent("ODR-LAMBDA-1", EMAIL, Map.of("x-request-id", "lambda-req-1")));

        assertEquals(202, answer.path("statusCode").asInt(), answer::toString);
        assertTrue(header(answer, "content-type").startsWith("application/json"), answer::toString);
        assertEquals("lambda-req-1", header(answer, "x-request-id"), "the caller's request id comes back");
        JsonNode body = body(answer);
        assertEquals("ODR-LAMBDA-1", body.path("orderUuid").asText());
        assertEquals("EMAIL", body.path("channels").path(0).asText(), body::toString);
        frontPayment.verify(1, resendsOf("ODR-LAMBDA-1")
                .withHeader("Authorization", WireMock.equalTo("Bearer " + TOKEN))
                .withRequestBody(WireMock.equalToJson("{\"email\":\"kari@example.no\"}", true, true)));
    }

    @Test
    void aBase64EncodedBodyIsDecodedLikeAnyOther() throws Exception {
        answer(frontPayment, json(202, ACCEPTED));
        ObjectNode event = resendEvent("ODR-LAMBDA-B64", EMAIL, Map.of());
        event.put("body", Base64.getEncoder().encodeToString(EMAIL.getBytes(StandardCharsets.UTF_8)));
        event.put("isBase64Encoded", true);

        JsonNode answer = invoke(event);

        assertEquals(202, answer.path("statusCode").asInt(), answer::toString);
        frontPayment.verify(1, resendsOf("ODR-LAMBDA-B64"));
    }

    @Test
    void anInvalidPhoneIsA422ProblemAndNothingIsSent() throws Exception {
        JsonNode answer = invoke(resendEvent("ODR-LAMBDA-2", "{\"phone\":\"12\"}", Map.of()));

        assertProblem(answer, 422, "VALIDATION_FAILED");
        assertEquals("phone", body(answer).path("violations").path(0).path("field").asText(), answer::toString);
        assertEquals(0, frontPayment.getAllServeEvents().size());
    }

    @Test
    void aFrontPaymentFailureIsA502Problem() throws Exception {
        answer(frontPayment, json(510, SOMETHING_WENT_WRONG));

        JsonNode answer = invoke(resendEvent("ODR-LAMBDA-3", EMAIL, Map.of()));

        assertProblem(answer, 502, "UPSTREAM_ERROR");
        frontPayment.verify(1, resendsOf("ODR-LAMBDA-3"));
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyIsReplayedWithoutASecondSend() throws Exception {
        answer(frontPayment, json(202, ACCEPTED));
        Map<String, String> key = Map.of("idempotency-key", "lambda-retry-1");

        JsonNode first = invoke(resendEvent("ODR-LAMBDA-4", EMAIL, key));
        JsonNode again = invoke(resendEvent("ODR-LAMBDA-4", EMAIL, key));

        assertEquals(202, first.path("statusCode").asInt(), first::toString);
        assertEquals(202, again.path("statusCode").asInt(), again::toString);
        assertEquals("true", header(again, "idempotent-replayed"), again::toString);
        assertEquals(body(first), body(again));
        frontPayment.verify(1, resendsOf("ODR-LAMBDA-4"));
    }

    @Test
    void aWrongKeyIs401AndOperationsAreNotServedThroughTheApi() throws Exception {
        ObjectNode wrongKey = resendEvent("ODR-LAMBDA-5", EMAIL, Map.of());
        ((ObjectNode) wrongKey.get("headers")).put("x-api-key", "not-a-key");
        assertProblem(invoke(wrongKey), 401, "UNAUTHENTICATED");

        for (String path : new String[] { "/q/metrics", "/q/health", "/q/openapi" }) {
            ObjectNode get = event("GET", path, null, Map.of());
            assertEquals(404, invoke(get).path("statusCode").asInt(), path);
        }
        assertEquals(0, frontPayment.getAllServeEvents().size());
        // nor on a port of its own: the Lambda form opens no HTTP server, management interface included
        assertTrue(PackagedApp.managementPort(function.lines()).isEmpty(), () -> String.join("\n", function.lines()));
    }

    private static JsonNode invoke(ObjectNode event) throws Exception {
        return JSON.readTree(runtime.invoke(JSON.writeValueAsString(event)));
    }

    private static ObjectNode resendEvent(String order, String body, Map<String, String> headers) {
        ObjectNode event = event("POST", resendPath(order), body, headers);
        ObjectNode eventHeaders = (ObjectNode) event.get("headers");
        eventHeaders.put("x-api-key", KEY);
        eventHeaders.put("content-type", "application/json");
        return event;
    }

    /** An API Gateway HTTP API event, payload format 2.0, as AWS documents it (headers in lower case). */
    private static ObjectNode event(String method, String path, String body, Map<String, String> headers) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        ObjectNode eventHeaders = event.putObject("headers");
        eventHeaders.put("host", "abc123.execute-api.eu-north-1.amazonaws.com");
        eventHeaders.put("user-agent", "lambda-it");
        headers.forEach(eventHeaders::put);
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "000000000000");
        context.put("apiId", "abc123");
        context.put("domainName", "abc123.execute-api.eu-north-1.amazonaws.com");
        context.put("requestId", "it-" + System.nanoTime());
        context.put("routeKey", "$default");
        context.put("stage", "$default");
        context.put("timeEpoch", System.currentTimeMillis());
        ObjectNode http = context.putObject("http");
        http.put("method", method);
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "192.0.2.10");
        http.put("userAgent", "lambda-it");
        if (body != null) {
            event.put("body", body);
        }
        event.put("isBase64Encoded", false);
        return event;
    }

    private static void assertProblem(JsonNode answer, int status, String code) throws Exception {
        assertEquals(status, answer.path("statusCode").asInt(), answer::toString);
        assertEquals("application/problem+json", header(answer, "content-type").split(";")[0], answer::toString);
        JsonNode problem = body(answer);
        assertEquals(code, problem.path("code").asText(), problem::toString);
        assertEquals(status, problem.path("status").asInt(), problem::toString);
        assertFalse(problem.path("title").asText().isEmpty(), problem::toString);
    }

    /** A header of the answer, whichever case and whichever of the two header maps the function used. */
    private static String header(JsonNode answer, String name) {
        for (String map : new String[] { "headers", "multiValueHeaders" }) {
            var fields = answer.path(map).fields();
            while (fields.hasNext()) {
                var field = fields.next();
                if (field.getKey().equalsIgnoreCase(name)) {
                    JsonNode value = field.getValue();
                    return value.isArray() ? value.path(0).asText() : value.asText();
                }
            }
        }
        return "";
    }

    private static JsonNode body(JsonNode answer) throws Exception {
        String body = answer.path("body").asText();
        if (answer.path("isBase64Encoded").asBoolean()) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        return JSON.readTree(body);
    }
}
