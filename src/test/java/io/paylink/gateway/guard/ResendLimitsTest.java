package io.paylink.gateway.guard;

import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.anyResend;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.GLOBEX_KEY;
import static io.paylink.gateway.support.Gateway.assertProblem;
import static io.paylink.gateway.support.Gateway.freshEmailBody;
import static io.paylink.gateway.support.Gateway.freshOrder;
import static io.paylink.gateway.support.Gateway.resend;
import static io.paylink.gateway.support.GuardPolicyProfile.PER_DESTINATION;
import static io.paylink.gateway.support.GuardPolicyProfile.PER_ORDER;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.GuardPolicyProfile;
import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;

/** The profile allows 3 resends per order and per destination within 2 s. */
@QuarkusTest
@TestProfile(GuardPolicyProfile.class)
@QuarkusTestResource(WireMockFrontPayment.class)
class ResendLimitsTest {

    @InjectWireMock
    WireMockServer frontPayment;

    @BeforeEach
    void accept() {
        frontPayment.resetAll();
        answer(frontPayment, json(202, ACCEPTED));
    }

    private static int retryAfterSeconds(ValidatableResponse limited) {
        int seconds = Integer.parseInt(limited.extract().header("Retry-After"));
        assertTrue(seconds >= 1 && seconds <= 2, "Retry-After within the 2 s window: " + seconds);
        return seconds;
    }

    @Test
    void anOrderGetsItsLimitThen429UntilTheWindowMoves() throws InterruptedException {
        String order = freshOrder();
        for (int i = 0; i < PER_ORDER; i++) {
            resend(ACME_KEY, order, freshEmailBody()).statusCode(202);
        }
        int wait = retryAfterSeconds(assertProblem(resend(ACME_KEY, order, freshEmailBody()), 429, "RESEND_RATE_LIMITED"));
        frontPayment.verify(PER_ORDER, anyResend());

        Thread.sleep(wait * 1000L + 100); // the window moves with time only: the Retry-After must really pass
        resend(ACME_KEY, order, freshEmailBody()).statusCode(202);
    }

    @Test
    void aPhoneNumberWrittenInDifferentWaysIsOneDestination() {
        List<String> sameNumber = List.of("{\"phone\":\"+47 412 34 567\"}", "{\"phone\":\"0047-412-34-567\"}",
                "{\"countryCode\":\"47\",\"msisdn\":\"41234567\"}");
        for (String body : sameNumber) {
            resend(ACME_KEY, freshOrder(), body).statusCode(202);
        }
        assertProblem(resend(ACME_KEY, freshOrder(), "{\"phone\":\"+4741234567\"}"), 429, "RESEND_RATE_LIMITED");
        frontPayment.verify(PER_DESTINATION, anyResend());
    }

    @Test
    void anEmailInDifferentCaseIsOneDestination() {
        for (String email : List.of("Ola@Example.no", "ola@example.no", " OLA@EXAMPLE.NO ")) {
            resend(ACME_KEY, freshOrder(), "{\"email\":\"" + email + "\"}").statusCode(202);
        }
        assertProblem(resend(ACME_KEY, freshOrder(), "{\"email\":\"ola@example.NO\"}"), 429, "RESEND_RATE_LIMITED");
    }

    @Test
    void limitsAreCountedPerTenant() {
        String order = freshOrder();
        for (int i = 0; i < PER_ORDER; i++) {
            resend(ACME_KEY, order, freshEmailBody()).statusCode(202);
        }
        resend(ACME_KEY, order, freshEmailBody()).statusCode(429);
        resend(GLOBEX_KEY, order, freshEmailBody()).statusCode(202);
    }

    @Test
    void attemptsThatNeverReachedFrontPaymentDoNotCount() {
        String order = freshOrder();
        String body = freshEmailBody();
        for (int i = 0; i < PER_ORDER + 2; i++) {
            // unreachable (502) until this URL's breaker opens (503); counted attempts would turn into 429
            int status = resend(GuardPolicyProfile.OFFLINE_KEY, order, body).extract().statusCode();
            assertTrue(status == 502 || status == 503, "never reached, never limited: " + status);
        }
    }
}
