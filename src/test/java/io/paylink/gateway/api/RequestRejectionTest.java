package io.paylink.gateway.api;

import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.anyResend;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.as;
import static io.paylink.gateway.support.Gateway.assertProblem;
import static io.paylink.gateway.support.Gateway.resend;
import static io.paylink.gateway.support.Gateway.resendPath;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Requests the gateway answers itself: none of them may reach Front Payment. */
@QuarkusTest
@QuarkusTestResource(WireMockFrontPayment.class)
class RequestRejectionTest {

    private static final String SMS = "{\"phone\":\"+47 912 34 567\"}";

    @InjectWireMock
    WireMockServer frontPayment;

    @BeforeEach
    void frontPaymentWouldAccept() {
        frontPayment.resetAll();
        answer(frontPayment, json(202, ACCEPTED));
    }

    @AfterEach
    void nothingReachedFrontPayment() {
        frontPayment.verify(0, anyResend());
    }

    @Test
    void missingApiKeyIs401EvenWithABrokenBody() {
        assertProblem(given().contentType(ContentType.JSON).body("{oops").post(resendPath("ODR1")).then(), 401, "UNAUTHENTICATED")
                .header("WWW-Authenticate", containsString("X-Api-Key"));
    }

    /** Under /v1 a caller without a valid key learns nothing else: not which paths, methods or media types exist. */
    @Test
    void withoutAValidKeyEveryV1AnswerIs401() {
        assertProblem(given().get(resendPath("ODR1")).then(), 401, "UNAUTHENTICATED");
        assertProblem(given().header("X-Api-Key", "wrong").delete(resendPath("ODR1")).then(), 401, "UNAUTHENTICATED");
        assertProblem(given().contentType("text/plain").body("x").post(resendPath("ODR1")).then(), 401, "UNAUTHENTICATED");
        assertProblem(given().accept("application/xml").contentType(ContentType.JSON).body(SMS).post(resendPath("ODR1")).then(),
                401, "UNAUTHENTICATED");
        assertProblem(given().get("/v1/nothing-here").then(), 401, "UNAUTHENTICATED");
        assertProblem(given().get("/v1").then(), 401, "UNAUTHENTICATED");
        assertProblem(given().contentType(ContentType.JSON).body(SMS).post(resendPath("ODR_1")).then(), 401, "UNAUTHENTICATED");
    }

    @Test
    void unknownApiKeyIs401() {
        assertProblem(resend("not-a-tenant-key", "ODR1", SMS), 401, "UNAUTHENTICATED");
    }

    @ParameterizedTest
    @ValueSource(strings = { "ODR_1", "ODR.1", "ODR%201", "%2E%2E", "ODR%2F1",
            "A1234567890123456789012345678901234567890123456789012345678901234" })
    void orderIdsOtherThanLettersDigitsAndDashesAre400(String orderUuid) {
        assertProblem(resend(ACME_KEY, orderUuid, SMS), 400, "INVALID_ORDER_UUID");
    }

    @Test
    void bodyThatIsNotJsonIs400() {
        assertProblem(resend(ACME_KEY, "ODR1", "{\"phone\":"), 400, "MALFORMED_REQUEST");
    }

    @Test
    void missingBodyIs400() {
        assertProblem(as(ACME_KEY).post(resendPath("ODR1")).then(), 400, "MALFORMED_REQUEST");
    }

    @Test
    void whitespaceOnlyBodyIs400() {
        assertProblem(resend(ACME_KEY, "ODR1", " \n\t "), 400, "MALFORMED_REQUEST");
    }

    @Test
    void twoJsonObjectsInOneBodyAre400NotTheFirstOne() {
        assertProblem(resend(ACME_KEY, "ODR1", SMS + "{\"email\":\"kari@example.no\"}"), 400, "MALFORMED_REQUEST");
    }

    /** I-JSON (RFC 7493): a WAF in front may read the other member, so neither is chosen; nothing is sent. */
    @ParameterizedTest
    @ValueSource(strings = { "{\"email\":\"a@example.no\",\"email\":\"b@example.com\"}",
            "{\"phone\":\"+4791234567\",\"email\":\"kari@example.no\",\"phone\":\"+4792345678\"}" })
    void aDuplicateMemberNameIs400(String body) {
        assertProblem(resend(ACME_KEY, "ODR1", body), 400, "MALFORMED_REQUEST").body("detail", containsString("Duplicate"));
    }

    @Test
    void aJsonArrayInsteadOfAnObjectIs400() {
        assertProblem(resend(ACME_KEY, "ODR1", "[\"+4791234567\"]"), 400, "MALFORMED_REQUEST");
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"phone\":4791234567}", "{\"email\":true}", "{\"msisdn\":91234567,\"countryCode\":\"+47\"}",
            "{\"phone\":{\"number\":\"+4791234567\"}}", "{\"phone\":[\"+4791234567\"]}" })
    void wrongJsonTypesAre400(String body) {
        assertProblem(resend(ACME_KEY, "ODR1", body), 400, "MALFORMED_REQUEST");
    }

    @Test
    void unknownFieldsAre400SoThatTyposAreNotSilentlyIgnored() {
        assertProblem(resend(ACME_KEY, "ODR1", "{\"phone\":\"+4791234567\",\"emial\":\"kari@example.no\"}"), 400,
                "MALFORMED_REQUEST").body("detail", containsString("emial"));
    }

    @Test
    void bodyOverTheSizeLimitIs413() {
        String big = "{\"email\":\"" + "a".repeat(17 * 1024) + "@example.no\"}";
        assertProblem(resend(ACME_KEY, "ODR1", big), 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void bodyOfExactlyTheSizeLimitIsRead() {
        String head = "{\"phone\":\"12345\"}";
        String body = head + " ".repeat(16 * 1024 - head.length());
        // read and validated (422 on the phone), not turned away as too large
        assertProblem(resend(ACME_KEY, "ODR1", body), 422, "VALIDATION_FAILED");
    }

    @Test
    void chunkedBodyOverTheSizeLimitIs413() {
        byte[] big = ("{\"email\":\"" + "a".repeat(17 * 1024) + "@example.no\"}").getBytes();
        assertProblem(as(ACME_KEY).body(new java.io.ByteArrayInputStream(big)).post(resendPath("ODR1")).then(), 413,
                "PAYLOAD_TOO_LARGE");
    }

    @Test
    void nonJsonContentTypeIs415() {
        assertProblem(given().header("X-Api-Key", ACME_KEY).contentType(ContentType.TEXT).body("+4791234567")
                .post(resendPath("ODR1")).then(), 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void askingForAnythingButJsonIs406() {
        assertProblem(as(ACME_KEY).accept("application/xml").body(SMS).post(resendPath("ODR1")).then(), 406, "NOT_ACCEPTABLE");
    }

    @Test
    void noChannelIs422() {
        assertProblem(resend(ACME_KEY, "ODR1", "{}"), 422, "VALIDATION_FAILED")
                .body("violations", hasSize(1))
                .body("violations[0].field", nullValue());
    }

    @ParameterizedTest
    @ValueSource(strings = { "91234567", "+47 1234", "12345", "+47 abc", "+999 91234567", "+47 800 12 345", "+47 22 12 34 56",
            "+44 9098 790123", "" })
    void phonesThatCannotReceiveAnSmsAre422OnPhone(String phone) {
        assertProblem(resend(ACME_KEY, "ODR1", "{\"phone\":\"" + phone + "\"}"), 422, "VALIDATION_FAILED")
                .body("violations", hasSize(1))
                .body("violations[0].field", equalTo("phone"));
    }

    @Test
    void msisdnWithoutCountryCodeIs422OnCountryCode() {
        assertProblem(resend(ACME_KEY, "ODR1", "{\"msisdn\":\"91234567\"}"), 422, "VALIDATION_FAILED")
                .body("violations[0].field", equalTo("countryCode"));
    }

    @Test
    void countryCodeWithoutMsisdnIs422OnMsisdn() {
        assertProblem(resend(ACME_KEY, "ODR1", "{\"countryCode\":\"+47\"}"), 422, "VALIDATION_FAILED")
                .body("violations[0].field", equalTo("msisdn"));
    }

    @Test
    void splitNumberThatIsNotAMobileIs422OnMsisdn() {
        assertProblem(resend(ACME_KEY, "ODR1", "{\"countryCode\":\"+47\",\"msisdn\":\"123\"}"), 422, "VALIDATION_FAILED")
                .body("violations[0].field", equalTo("msisdn"));
    }

    @Test
    void phoneAndSplitNumberTogetherAre422() {
        assertProblem(resend(ACME_KEY, "ODR1", "{\"phone\":\"+4791234567\",\"countryCode\":\"+47\",\"msisdn\":\"91234567\"}"),
                422, "VALIDATION_FAILED").body("violations[0].field", equalTo("phone"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "kari", "kari@", "@example.no", "kari@localhost", "kari@example", "kari@@example.no",
            "kari nordmann@example.no", "kari@example.invalidtld", "   " })
    void emailsThatCannotReceiveALinkAre422OnEmail(String email) {
        assertProblem(resend(ACME_KEY, "ODR1", "{\"email\":\"" + email + "\"}"), 422, "VALIDATION_FAILED")
                .body("violations[0].field", equalTo("email"));
    }

    @Test
    void overlongEmailIs422() {
        String email = "k".repeat(64) + "@" + "e".repeat(63) + "." + "x".repeat(63) + "." + "y".repeat(60) + ".no";
        assertProblem(resend(ACME_KEY, "ODR1", "{\"email\":\"" + email + "\"}"), 422, "VALIDATION_FAILED")
                .body("violations[0].field", equalTo("email"));
    }

    @Test
    void everyBrokenRuleIsReportedAtOnce() {
        assertProblem(resend(ACME_KEY, "ODR1", "{\"phone\":\"12\",\"email\":\"kari\"}"), 422, "VALIDATION_FAILED")
                .body("violations", hasSize(2))
                .body("violations.field", org.hamcrest.Matchers.contains("email", "phone"));
    }

    @Test
    void unknownPathIs404Problem() {
        assertProblem(given().header("X-Api-Key", ACME_KEY).get("/v1/nothing-here").then(), 404, "NOT_FOUND");
    }

    @Test
    void wrongMethodIs405Problem() {
        assertProblem(given().header("X-Api-Key", ACME_KEY).get(resendPath("ODR1")).then(), 405, "METHOD_NOT_ALLOWED")
                .header("Allow", containsString("POST"));
    }
}
