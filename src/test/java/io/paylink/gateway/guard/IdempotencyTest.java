package io.paylink.gateway.guard;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.NOT_FOUND;
import static io.paylink.gateway.support.FrontPaymentStubs.SOMETHING_WENT_WRONG;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.anyResend;
import static io.paylink.gateway.support.FrontPaymentStubs.awaitResends;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.FrontPaymentStubs.resendsOf;
import static io.paylink.gateway.support.FrontPaymentStubs.validationErrors;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.GLOBEX_KEY;
import static io.paylink.gateway.support.Gateway.as;
import static io.paylink.gateway.support.Gateway.assertProblem;
import static io.paylink.gateway.support.Gateway.freshEmailBody;
import static io.paylink.gateway.support.Gateway.freshOrder;
import static io.paylink.gateway.support.Gateway.resendPath;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

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

import io.paylink.gateway.support.Await;
import io.paylink.gateway.support.Concurrently;
import io.paylink.gateway.support.Gateway;
import io.paylink.gateway.support.GuardPolicyProfile;
import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
@TestProfile(GuardPolicyProfile.class)
@QuarkusTestResource(WireMockFrontPayment.class)
class IdempotencyTest {

    @InjectWireMock
    WireMockServer frontPayment;

    @Inject
    Idempotency idempotency;

    @Inject
    Admission admission;

    private String key;
    private String order;

    @BeforeEach
    void reset() {
        frontPayment.resetAll();
        key = "bff-" + UUID.randomUUID();
        order = freshOrder();
    }

    @AfterEach
    void keepTheBreakerClosed() {
        // a success between failures keeps this tenant's breaker closed for the next case
        frontPayment.resetAll();
        answer(frontPayment, json(202, ACCEPTED));
        Gateway.resend(ACME_KEY, freshOrder(), freshEmailBody()).statusCode(202);
    }

    private static ValidatableResponse resend(String apiKey, String idempotencyKey, String order, String body) {
        return as(apiKey).header("Idempotency-Key", idempotencyKey).body(body).post(resendPath(order)).then();
    }

    @Test
    void aRetryWithTheSameKeyReplaysTheAnswerWithoutCallingAgain() {
        answer(frontPayment, json(202, ACCEPTED));
        String body = freshEmailBody();
        resend(ACME_KEY, key, order, body).statusCode(202).header("Idempotent-Replayed", nullValue());
        resend(ACME_KEY, key, order, body).statusCode(202).header("Idempotent-Replayed", "true")
                .body("channels", contains("EMAIL"));
        frontPayment.verify(1, anyResend());
    }

    @Test
    void theSameRequestWrittenDifferentlyIsStillTheSameRequest() {
        answer(frontPayment, json(202, ACCEPTED));
        resend(ACME_KEY, key, order, "{\"phone\":\"+47 912 34 567\"}").statusCode(202);
        resend(ACME_KEY, key, order, "{\"countryCode\":\"+47\",\"msisdn\":\"91234567\"}").statusCode(202)
                .header("Idempotent-Replayed", "true");
        frontPayment.verify(1, anyResend());
    }

    @Test
    void frontPaymentsBusinessAnswerIsReplayedToo() {
        answer(frontPayment, json(404, NOT_FOUND));
        String body = freshEmailBody();
        assertProblem(resend(ACME_KEY, key, order, body), 404, "ORDER_NOT_FOUND");
        assertProblem(resend(ACME_KEY, key, order, body), 404, "ORDER_NOT_FOUND").header("Idempotent-Replayed", "true");
        frontPayment.verify(1, anyResend());
    }

    @Test
    void aStoredAnswerKeepsNoContactInClear() {
        answer(frontPayment, json(417, validationErrors("{\"msisdn\":[\"91234567 is not a valid mobile number\"]}")));
        String body = "{\"phone\":\"+47 912 34 567\"}";
        assertProblem(resend(ACME_KEY, key, order, body), 422, "VALIDATION_FAILED")
                .body("violations[0].message", equalTo("91234567 is not a valid mobile number"));

        assertProblem(resend(ACME_KEY, key, order, body), 422, "VALIDATION_FAILED").header("Idempotent-Replayed", "true")
                .body("violations[0].field", equalTo("msisdn"))
                .body("violations[0].message", equalTo("*** is not a valid mobile number"));
        frontPayment.verify(1, anyResend());
    }

    /** Ends after which Front Payment may have sent the link: a retry with the key must never send it again. */
    static Stream<Arguments> ambiguousEnds() {
        return Stream.of(
                Arguments.of("answer after the time-out", json(202, ACCEPTED).withFixedDelay(GuardPolicyProfile.TIMEOUT_MILLIS + 500),
                        504, "UPSTREAM_TIMEOUT"),
                Arguments.of("connection reset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), 502, "UPSTREAM_ERROR"),
                Arguments.of("empty response", aResponse().withFault(Fault.EMPTY_RESPONSE), 502, "UPSTREAM_ERROR"),
                Arguments.of("garbage then close", aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE), 502, "UPSTREAM_ERROR"),
                Arguments.of("2xx that is not JSON", aResponse().withStatus(202).withHeader("Content-Type", "text/html")
                        .withBody("<html>ok</html>"), 502, "UPSTREAM_ERROR"),
                Arguments.of("503", json(503, "{\"message\":\"maintenance\"}"), 502, "UPSTREAM_ERROR"),
                Arguments.of("510", json(510, SOMETHING_WENT_WRONG), 502, "UPSTREAM_ERROR"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ambiguousEnds")
    void anEndThatMayHaveSentTheLinkIsStoredAndReplayedNeverSentTwice(String name, ResponseDefinitionBuilder end, int status,
            String code) {
        answer(frontPayment, end);
        String body = freshEmailBody();
        assertProblem(resend(ACME_KEY, key, order, body), status, code).header("Idempotent-Replayed", nullValue());
        frontPayment.resetAll();
        answer(frontPayment, json(202, ACCEPTED));

        assertProblem(resend(ACME_KEY, key, order, body), status, code).header("Idempotent-Replayed", "true");
        frontPayment.verify(0, anyResend());
    }

    /** Ends that prove nothing was sent: the key is freed, so the retry runs for real. */
    static Stream<Arguments> notSentEnds() {
        return Stream.of(
                Arguments.of("401", json(401, "{\"message\":\"Unauthenticated\"}"), 502, "UPSTREAM_AUTH_FAILED"),
                Arguments.of("403", json(403, "{}"), 502, "UPSTREAM_AUTH_FAILED"),
                Arguments.of("429", json(429, "{}").withHeader("Retry-After", "2"), 503, "UPSTREAM_RATE_LIMITED"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notSentEnds")
    void anEndThatProvesNothingWasSentFreesTheKey(String name, ResponseDefinitionBuilder end, int status, String code) {
        answer(frontPayment, end);
        String body = freshEmailBody();
        assertProblem(resend(ACME_KEY, key, order, body), status, code);
        frontPayment.resetAll();
        answer(frontPayment, json(202, ACCEPTED));

        resend(ACME_KEY, key, order, body).statusCode(202).header("Idempotent-Replayed", nullValue());
        frontPayment.verify(1, anyResend());
    }

    /** Nothing listens at the offline tenant's URL; once its breaker opens, that is a not-sent 503 instead of a 502. */
    @Test
    void anUnreachableFrontPaymentFreesTheKey() {
        String body = freshEmailBody();
        for (int i = 0; i < 2; i++) {
            Response answer = resend(GuardPolicyProfile.OFFLINE_KEY, key, order, body).extract().response();
            assertTrue(answer.statusCode() == 502 || answer.statusCode() == 503, answer.asString());
            assertProblem(answer.then(), answer.statusCode(), answer.statusCode() == 502 ? "UPSTREAM_ERROR" : "UPSTREAM_UNAVAILABLE")
                    .body("detail", containsString("nothing was sent"))
                    .header("Idempotent-Replayed", nullValue());
        }
    }

    /**
     * Refused at the tenant's front door, before its body is read and so before its key is claimed:
     * nothing holds the key afterwards. (The bulkhead's own refusal, past the door and after the
     * claim, is BulkheadRefusalTest's.)
     */
    @Test
    void aRefusalAtTheFrontDoorLeavesTheKeyFree() throws Exception {
        answer(frontPayment, json(202, ACCEPTED).withFixedDelay(3_000)); // the fillers hold their places until their time-out
        String body = freshEmailBody();
        int places = GuardPolicyProfile.BULKHEAD_LIMIT + GuardPolicyProfile.BULKHEAD_QUEUE;
        Concurrently.send(places, n -> Gateway.resend(ACME_KEY, freshOrder(), freshEmailBody()).extract().response(), () -> {
            Await.count("acme's requests inside", () -> admission.inside("acme"), places);
            assertProblem(resend(ACME_KEY, key, order, body), 503, "OVERLOADED").header("Retry-After", "1")
                    .body("detail", equalTo(Admission.OVERLOADED.detail()));
        });
        frontPayment.verify(0, resendsOf(order));
        frontPayment.resetAll();
        answer(frontPayment, json(202, ACCEPTED));

        resend(ACME_KEY, key, order, body).statusCode(202).header("Idempotent-Replayed", nullValue());
        frontPayment.verify(1, resendsOf(order));
    }

    @Test
    void localRejectionsAreNotStoredSoACorrectedRetryRuns() {
        answer(frontPayment, json(202, ACCEPTED));
        assertProblem(resend(ACME_KEY, key, order, "{\"phone\":\"12\"}"), 422, "VALIDATION_FAILED");
        resend(ACME_KEY, key, order, freshEmailBody()).statusCode(202).header("Idempotent-Replayed", nullValue());
        frontPayment.verify(1, anyResend());
    }

    @Test
    void theKeyWithAnotherOrderOrBodyIs422() {
        answer(frontPayment, json(202, ACCEPTED));
        String body = freshEmailBody();
        resend(ACME_KEY, key, order, body).statusCode(202);
        assertProblem(resend(ACME_KEY, key, freshOrder(), body), 422, "IDEMPOTENCY_KEY_MISMATCH");
        assertProblem(resend(ACME_KEY, key, order, freshEmailBody()), 422, "IDEMPOTENCY_KEY_MISMATCH");
        frontPayment.verify(1, anyResend());
    }

    @Test
    void theSameKeyFromAnotherTenantIsAnotherKey() {
        answer(frontPayment, json(202, ACCEPTED));
        String body = freshEmailBody();
        resend(ACME_KEY, key, order, body).statusCode(202);
        resend(GLOBEX_KEY, key, order, body).statusCode(202).header("Idempotent-Replayed", nullValue());
        frontPayment.verify(2, WireMock.postRequestedFor(WireMock.urlPathMatching(".*/resend/" + order)));
    }

    @Test
    void aKeyThatIsNotPrintableAsciiOrTooLongIs400() {
        assertProblem(resend(ACME_KEY, "k".repeat(256), order, freshEmailBody()), 400, "MALFORMED_REQUEST");
        assertProblem(resend(ACME_KEY, "tab\tinside", order, freshEmailBody()), 400, "MALFORMED_REQUEST");
        assertProblem(resend(ACME_KEY, "n\u00e6ste", order, freshEmailBody()), 400, "MALFORMED_REQUEST");
        frontPayment.verify(0, anyResend());
    }

    @Test
    void twentyConcurrentCopiesCallFrontPaymentOnceAndTheOthersAreToldItIsInFlight() throws Exception {
        answer(frontPayment, json(202, ACCEPTED).withFixedDelay(600));
        String body = freshEmailBody();
        List<Response> answers = Concurrently.send(20, n -> resend(ACME_KEY, key, order, body).extract().response(), () -> {
        });
        int sent = 0;
        int replayed = 0;
        int inFlight = 0;
        for (Response response : answers) {
            if (response.statusCode() == 202 && "true".equals(response.header("Idempotent-Replayed"))) {
                // a copy slowed down until the first one's answer was stored (a loaded machine) gets that answer
                replayed++;
            } else if (response.statusCode() == 202) {
                sent++;
            } else if (response.statusCode() == 409) {
                // come back when the first copy's lease ends: by then its answer is stored (or known to be lost)
                assertProblem(response.then(), 409, "IDEMPOTENCY_KEY_IN_USE").header("Retry-After", Long::parseLong,
                        allOf(greaterThanOrEqualTo(idempotency.lease().toSeconds() - 1), lessThanOrEqualTo(idempotency.lease().toSeconds() + 1)));
                inFlight++;
            } else {
                // twenty copies are more than this profile's places for acme: the rest are refused at the door
                assertProblem(response.then(), 503, "OVERLOADED").header("Retry-After", "1");
            }
        }
        assertEquals(1, sent, "exactly one copy is answered as the one that was sent");
        int places = GuardPolicyProfile.BULKHEAD_LIMIT + GuardPolicyProfile.BULKHEAD_QUEUE;
        assertTrue(inFlight + replayed >= places - 1,
                "every copy let in beside the first is told it is in flight or gets its answer: " + inFlight + " + " + replayed);
        frontPayment.verify(1, anyResend());
        resend(ACME_KEY, key, order, body).statusCode(202).header("Idempotent-Replayed", "true");
        assertEquals(1, frontPayment.findAll(anyResend()).size());
    }
}
