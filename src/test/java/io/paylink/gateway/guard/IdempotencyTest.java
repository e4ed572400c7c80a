package io.paylink.gateway.guard;

import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.NOT_FOUND;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.anyResend;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.GLOBEX_KEY;
import static io.paylink.gateway.support.Gateway.as;
import static io.paylink.gateway.support.Gateway.assertProblem;
import static io.paylink.gateway.support.Gateway.freshEmailBody;
import static io.paylink.gateway.support.Gateway.freshOrder;
import static io.paylink.gateway.support.Gateway.resendPath;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.paylink.gateway.support.Concurrently;
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

    private String key;
    private String order;

    @BeforeEach
    void reset() {
        frontPayment.resetAll();
        key = "bff-" + UUID.randomUUID();
        order = freshOrder();
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
    void upstreamFailuresAreNotStoredSoARetryRunsForReal() {
        answer(frontPayment, json(510, "{\"message\":\"Something Went Wrong\"}"));
        String body = freshEmailBody();
        assertProblem(resend(ACME_KEY, key, order, body), 502, "UPSTREAM_ERROR");
        frontPayment.resetAll();
        answer(frontPayment, json(202, ACCEPTED));
        resend(ACME_KEY, key, order, body).statusCode(202).header("Idempotent-Replayed", nullValue());
        frontPayment.verify(1, anyResend());
    }

    @Test
    void timeoutsAreNotStored() {
        answer(frontPayment, json(202, ACCEPTED).withFixedDelay(GuardPolicyProfile.TIMEOUT_MILLIS + 500));
        String body = freshEmailBody();
        assertProblem(resend(ACME_KEY, key, order, body), 504, "UPSTREAM_TIMEOUT");
        frontPayment.resetAll();
        answer(frontPayment, json(202, ACCEPTED));
        resend(ACME_KEY, key, order, body).statusCode(202).header("Idempotent-Replayed", nullValue());
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
        frontPayment.verify(0, anyResend());
    }

    @Test
    void twentyConcurrentCopiesCallFrontPaymentOnceAndTheOthersAreToldItIsInFlight() throws Exception {
        answer(frontPayment, json(202, ACCEPTED).withFixedDelay(600));
        String body = freshEmailBody();
        List<Response> answers = Concurrently.send(20, n -> resend(ACME_KEY, key, order, body).extract().response(), () -> {
        });
        int accepted = 0;
        for (Response response : answers) {
            if (response.statusCode() == 202) {
                accepted++;
            } else {
                assertProblem(response.then(), 409, "IDEMPOTENCY_KEY_IN_USE").header("Retry-After", "1");
            }
        }
        assertTrue(accepted >= 1, "the first copy is accepted");
        frontPayment.verify(1, anyResend());
        resend(ACME_KEY, key, order, body).statusCode(202).header("Idempotent-Replayed", "true");
        assertEquals(1, frontPayment.findAll(anyResend()).size());
    }
}
