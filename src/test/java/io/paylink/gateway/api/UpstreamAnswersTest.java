package io.paylink.gateway.api;

import static io.paylink.gateway.support.FrontPaymentStubs.ALREADY_CANCELLED;
import static io.paylink.gateway.support.FrontPaymentStubs.ALREADY_PAID;
import static io.paylink.gateway.support.FrontPaymentStubs.NOT_FOUND;
import static io.paylink.gateway.support.FrontPaymentStubs.SOMETHING_WENT_WRONG;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.anyResend;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.FrontPaymentStubs.validationErrors;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.assertProblem;
import static io.paylink.gateway.support.Gateway.resend;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** Every answer on the provider's page, and the ones it does not admit to, as a caller sees them. */
@QuarkusTest
@QuarkusTestResource(WireMockFrontPayment.class)
class UpstreamAnswersTest {

    private static final String SMS = "{\"phone\":\"+47 912 34 567\"}";

    @InjectWireMock
    WireMockServer frontPayment;

    @BeforeEach
    void reset() {
        frontPayment.resetAll();
    }

    private ValidatableResponse resendAfter(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder upstream) {
        answer(frontPayment, upstream);
        ValidatableResponse response = resend(ACME_KEY, "ODR347888404", SMS);
        frontPayment.verify(1, anyResend());
        return response;
    }

    @Test
    void orderNotFoundIs404() {
        assertProblem(resendAfter(json(404, NOT_FOUND)), 404, "ORDER_NOT_FOUND");
    }

    @Test
    void orderNotFoundSpelledDifferentlyIsStill404() {
        assertProblem(resendAfter(json(404, NOT_FOUND.replace("orderNotFound", "Order Not Found"))), 404, "ORDER_NOT_FOUND");
    }

    @Test
    void alreadyPaidIs409() {
        assertProblem(resendAfter(json(400, ALREADY_PAID)), 409, "ORDER_ALREADY_PAID");
    }

    @Test
    void alreadyCancelledIs409() {
        assertProblem(resendAfter(json(400, ALREADY_CANCELLED)), 409, "ORDER_CANCELLED");
    }

    @Test
    void anyOtherBusinessConflictIs409OrderConflict() {
        assertProblem(resendAfter(json(400, ALREADY_PAID.replace("orderStatusAlreadyPaid", "orderStatusExpired"))),
                409, "ORDER_CONFLICT");
    }

    @Test
    void somethingWentWrong510Is502() {
        assertProblem(resendAfter(json(510, SOMETHING_WENT_WRONG)), 502, "UPSTREAM_ERROR");
    }

    @ParameterizedTest
    @ValueSource(ints = { 401, 403 })
    void aRejectedTenantTokenIs502AuthFailed(int status) {
        assertProblem(resendAfter(json(status, "{\"message\":\"Unauthenticated.\"}")), 502, "UPSTREAM_AUTH_FAILED");
    }

    @Test
    void upstreamRateLimitIs503WithItsRetryAfter() {
        assertProblem(resendAfter(json(429, "{}").withHeader("Retry-After", "17")), 503, "UPSTREAM_RATE_LIMITED")
                .header("Retry-After", "17");
    }

    @Test
    void upstreamRateLimitWithoutRetryAfterStillTellsWhenToComeBack() {
        assertProblem(resendAfter(json(429, "")), 503, "UPSTREAM_RATE_LIMITED").header("Retry-After", "30");
    }

    @Test
    void validationErrorsAsAnObjectOfFieldToMessagesBecomeFieldViolations() {
        assertProblem(resendAfter(json(417, validationErrors(
                "{\"msisdn\":[\"The msisdn field is invalid.\",\"Too short.\"],\"email\":[\"The email must be valid.\"]}"))),
                422, "VALIDATION_FAILED")
                .body("violations", hasSize(3))
                .body("violations.field", containsInAnyOrder("msisdn", "msisdn", "email"))
                .body("violations.message", containsInAnyOrder("The msisdn field is invalid.", "Too short.", "The email must be valid."));
    }

    @Test
    void validationErrorsAsAListBecomeViolations() {
        assertProblem(resendAfter(json(417, validationErrors("[\"countryCode is required\",{\"field\":\"email\",\"message\":\"bad\"}]"))),
                422, "VALIDATION_FAILED")
                .body("violations", hasSize(2))
                .body("violations[0].field", nullValue())
                .body("violations[0].message", equalTo("countryCode is required"))
                .body("violations[1].field", equalTo("email"))
                .body("violations[1].message", equalTo("bad"));
    }

    @Test
    void validationErrorsAsTheDocumentedStringBecomeOneViolation() {
        assertProblem(resendAfter(json(417, validationErrors("\"Array\""))), 422, "VALIDATION_FAILED")
                .body("violations", hasSize(1))
                .body("violations[0].message", equalTo("Array"));
    }

    @Test
    void validationErrorsAsNullStillAnswer422() {
        assertProblem(resendAfter(json(417, validationErrors("null"))), 422, "VALIDATION_FAILED")
                .body("violations", org.hamcrest.Matchers.anyOf(nullValue(), empty()));
    }

    @Test
    void htmlFromAProxyIs502NotACrash() {
        assertProblem(resendAfter(WireMock.aResponse().withStatus(502).withHeader("Content-Type", "text/html")
                .withBody("<html><body>Bad Gateway</body></html>")), 502, "UPSTREAM_ERROR");
    }

    @Test
    void a404WithoutTheEnvelopeIsAWrongUrlNotAMissingOrder() {
        assertProblem(resendAfter(WireMock.aResponse().withStatus(404).withHeader("Content-Type", "text/html")
                .withBody("<h1>Not Found</h1>")), 502, "UPSTREAM_ERROR");
    }

    @Test
    void anEmptySuccessIsUnreadableAnd502() {
        assertProblem(resendAfter(WireMock.aResponse().withStatus(202)), 502, "UPSTREAM_ERROR");
    }

    @Test
    void aNonJsonSuccessIsUnreadableAnd502() {
        assertProblem(resendAfter(WireMock.aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                .withBody("<html>maintenance</html>")), 502, "UPSTREAM_ERROR");
    }

    @Test
    void aServerErrorWithAnEmptyBodyIs502() {
        assertProblem(resendAfter(WireMock.aResponse().withStatus(500)), 502, "UPSTREAM_ERROR");
    }
}
