package io.paylink.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.NOT_FOUND;
import static io.paylink.gateway.support.FrontPaymentStubs.SOMETHING_WENT_WRONG;
import static io.paylink.gateway.support.FrontPaymentStubs.anyResend;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.FrontPaymentStubs.resendsOf;
import static io.paylink.gateway.support.Gateway.as;
import static io.paylink.gateway.support.Gateway.assertProblem;
import static io.paylink.gateway.support.Gateway.resend;
import static io.paylink.gateway.support.Gateway.resendPath;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.paylink.gateway.support.CommittedOpenApi;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;

/**
 * The packaged prod artifact, configured only by the environment variables Failsafe gives this JVM
 * (see pom.xml), with WireMock as Front Payment on the port build-helper reserved for it. No test
 * profile: with -Dquarkus.package.jar.aot.enabled=true, Quarkus records the JDK AOT cache
 * (target/quarkus-app/app.aot) while these tests run, and it does so only for tests without one.
 * WireMockFrontPayment keeps the unit tests' global resource out of this app's configuration.
 */
@QuarkusIntegrationTest
class PackagedGatewayIT {

    private static final String KEY = "it-api-key";
    private static final String TOKEN = "it-front-payment-token";
    private static final String EMAIL = "{\"email\":\"kari@example.no\"}";

    private static WireMockServer frontPayment;

    @BeforeAll
    static void startFrontPayment() {
        frontPayment = new WireMockServer(wireMockConfig()
                .port(Integer.getInteger("it.front-payment.port")).bindAddress("127.0.0.1"));
        frontPayment.start();
    }

    @AfterAll
    static void stopFrontPayment() {
        frontPayment.stop();
    }

    @BeforeEach
    void reset() {
        frontPayment.resetAll();
    }

    @Test
    void anAcceptedResendCarriesTheTenantsTokenAndTheContact() {
        answer(frontPayment, json(202, ACCEPTED));

        resend(KEY, "ODR-IT-1", EMAIL).statusCode(202).body("orderUuid", equalTo("ODR-IT-1"));

        frontPayment.verify(1, anyResend());
        frontPayment.verify(1, resendsOf("ODR-IT-1")
                .withHeader("Authorization", WireMock.equalTo("Bearer " + TOKEN))
                .withRequestBody(equalToJson(EMAIL)));
    }

    /** libphonenumber reads its metadata from resources: a native executable needs them included. */
    @Test
    void aPhoneNumberIsParsedAndSentAsFrontPaymentsSplitNumber() {
        answer(frontPayment, json(202, ACCEPTED));

        resend(KEY, "ODR-IT-SMS", "{\"phone\":\"+47 912 34 567\"}").statusCode(202).body("channels[0]", equalTo("SMS"));
        assertProblem(resend(KEY, "ODR-IT-LANDLINE", "{\"phone\":\"+47 22 12 34 56\"}"), 422, "VALIDATION_FAILED");

        frontPayment.verify(1, anyResend());
        frontPayment.verify(1, resendsOf("ODR-IT-SMS").withRequestBody(equalToJson("{\"countryCode\":\"+47\",\"msisdn\":\"91234567\"}")));
    }

    @Test
    void anUnknownOrderIsAProblemOfItsOwn() {
        answer(frontPayment, json(404, NOT_FOUND));

        assertProblem(resend(KEY, "ODR-IT-404", EMAIL), 404, "ORDER_NOT_FOUND").body(not(containsString(TOKEN)));

        frontPayment.verify(1, resendsOf("ODR-IT-404").withHeader("Authorization", WireMock.equalTo("Bearer " + TOKEN)));
    }

    @Test
    void anUpstreamFaultIsABadGateway() {
        answer(frontPayment, json(510, SOMETHING_WENT_WRONG));

        assertProblem(resend(KEY, "ODR-IT-510", EMAIL), 502, "UPSTREAM_ERROR").body(not(containsString(TOKEN)));

        frontPayment.verify(1, anyResend());
    }

    @Test
    void aRepeatedIdempotencyKeyIsReplayedWithoutASecondCall() {
        answer(frontPayment, json(202, ACCEPTED));

        as(KEY).header("Idempotency-Key", "it-replay-1").body(EMAIL).post(resendPath("ODR-IT-IDEM"))
                .then().statusCode(202).header("Idempotent-Replayed", nullValue());
        as(KEY).header("Idempotency-Key", "it-replay-1").body(EMAIL).post(resendPath("ODR-IT-IDEM"))
                .then().statusCode(202).header("Idempotent-Replayed", "true");

        frontPayment.verify(1, anyResend());
    }

    @Test
    void logsAreJsonAndARequestsLineCarriesItsRequestId() throws IOException {
        answer(frontPayment, json(202, ACCEPTED));
        as(KEY).header("X-Request-Id", "it-request-42").body(EMAIL).post(resendPath("ODR-IT-LOG"))
                .then().statusCode(202).header("X-Request-Id", "it-request-42");

        List<JsonNode> log = JsonLog.parse(appLog());

        List<JsonNode> requestLines = log.stream()
                .filter(entry -> entry.path("message").asText().contains("order=ODR-IT-LOG")).toList();
        assertEquals(1, requestLines.size(), log::toString);
        assertEquals("it-request-42", requestLines.get(0).path("mdc").path("requestId").asText());
    }

    @Test
    void aCleanStartLogsNoWarningOrError() throws IOException {
        JsonLog.assertNoWarningOrError(JsonLog.start(JsonLog.parse(appLog())));
    }

    @Test
    void theSimulatorIsNotInTheProdArtifact() {
        given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON).body(EMAIL)
                .post("/simulator/api/v1/connect/orders/resend/X")
                .then().statusCode(404);
    }

    @Test
    void healthMetricsAndOpenApiAreServedOnTheManagementPort() throws IOException {
        int management = managementPort();
        given().port(management).get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().port(management).get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().port(management).get("/q/health/started").then().statusCode(200);
        given().port(management).get("/q/metrics").then().statusCode(200).body(containsString("jvm_threads_live_threads"));
        given().port(management).get("/q/openapi").then().statusCode(200)
                .body(containsString("/v1/orders/{orderUuid}/payment-link/resend"));
    }

    /** What the prod artifact serves is the committed document the clients are generated from (OpenApiDocumentTest: the test build's). */
    @Test
    void theServedOpenApiDocumentIsTheCommittedOne() throws IOException {
        String served = given().port(managementPort()).queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().asString();
        CommittedOpenApi.assertMatches(served, "The packaged app's /q/openapi");
    }

    @Test
    void thePublicPortServesNoneOfThem() {
        for (String path : List.of("/q/health", "/q/health/live", "/q/health/ready", "/q/health/started", "/q/health/well",
                "/q/metrics", "/q/openapi")) {
            given().get(path).then().statusCode(404);
        }
    }

    /** Failsafe gives the app QUARKUS_MANAGEMENT_PORT=0; the port it got is in its log. */
    private static int managementPort() throws IOException {
        return PackagedApp.managementPort(appLog()).orElseThrow(() -> new AssertionError("no management interface in the app's log"));
    }

    /** Quarkus has the launched app write its log to this file (its console output is dropped). */
    private static List<String> appLog() throws IOException {
        return Files.readAllLines(Path.of(ConfigProvider.getConfig().getValue("quarkus.log.file.path", String.class)));
    }
}
