package io.paylink.gateway.api;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.FrontPaymentStubs.resendsOf;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.ACME_TOKEN;
import static io.paylink.gateway.support.Gateway.as;
import static io.paylink.gateway.support.Gateway.resend;
import static io.paylink.gateway.support.Gateway.resendPath;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalToObject;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(WireMockFrontPayment.class)
class ResendAcceptedTest {

    @InjectWireMock
    WireMockServer frontPayment;

    @BeforeEach
    void frontPaymentAccepts() {
        frontPayment.resetAll();
        answer(frontPayment, json(202, ACCEPTED));
    }

    @Test
    void phoneIsSentSplitIntoCountryCodeStringAndMsisdnWithTheTenantsToken() {
        resend(ACME_KEY, "ODR347888404", "{\"phone\":\"+47 912 34 567\"}")
                .statusCode(202)
                .contentType("application/json")
                .body("orderUuid", equalToObject("ODR347888404"))
                .body("channels", contains("SMS"));

        frontPayment.verify(1, resendsOf("ODR347888404")
                .withHeader("Authorization", equalTo("Bearer " + ACME_TOKEN))
                .withHeader("Content-Type", containing("application/json"))
                .withRequestBody(equalToJson("{\"countryCode\":\"+47\",\"msisdn\":\"91234567\"}")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "+4791234567", "+47-912-34-567", "0047 91234567", "(+47) 912 34 567", " +47 91 23 45 67 " })
    void commonWaysOfWritingAnInternationalNumberAllReachFrontPaymentTheSame(String written) {
        resend(ACME_KEY, "ODR1", "{\"phone\":\"" + written + "\"}").statusCode(202);

        frontPayment.verify(1, resendsOf("ODR1")
                .withRequestBody(equalToJson("{\"countryCode\":\"+47\",\"msisdn\":\"91234567\"}")));
    }

    @Test
    void frontPaymentsOwnSplitShapeIsAccepted() {
        resend(ACME_KEY, "ODR2", "{\"countryCode\":\"+46\",\"msisdn\":\"70 123 45 67\"}").statusCode(202)
                .body("channels", contains("SMS"));

        frontPayment.verify(1, resendsOf("ODR2")
                .withRequestBody(equalToJson("{\"countryCode\":\"+46\",\"msisdn\":\"701234567\"}")));
    }

    @Test
    void emailIsTrimmedAndSentAlone() {
        resend(ACME_KEY, "ODR3", "{\"email\":\"  Kari.Nordmann@Example.no \"}").statusCode(202)
                .body("channels", contains("EMAIL"));

        frontPayment.verify(1, resendsOf("ODR3")
                .withRequestBody(equalToJson("{\"email\":\"Kari.Nordmann@Example.no\"}")));
    }

    @Test
    void smsAndEmailTogetherGoUpstreamInOneCall() {
        resend(ACME_KEY, "ODR4", "{\"phone\":\"+47 912 34 567\",\"email\":\"kari@example.no\"}").statusCode(202)
                .body("channels", contains("SMS", "EMAIL"));

        frontPayment.verify(1, resendsOf("ODR4").withRequestBody(
                equalToJson("{\"countryCode\":\"+47\",\"msisdn\":\"91234567\",\"email\":\"kari@example.no\"}")));
    }

    @Test
    void rfc4122UuidsAreOrderIdsToo() {
        String uuid = "3f2b8c1e-9d4a-4b6e-8f00-1c2d3e4f5a6b";
        resend(ACME_KEY, uuid, "{\"email\":\"kari@example.no\"}").statusCode(202).body("orderUuid", equalToObject(uuid));

        frontPayment.verify(1, resendsOf(uuid));
    }

    @Test
    void anySaneRequestIdOfTheCallerIsKeptAndEchoed() {
        as(ACME_KEY).header("X-Request-Id", "bff-7f3a.42")
                .body("{\"email\":\"kari@example.no\"}")
                .post(resendPath("ODR5"))
                .then().statusCode(202).header("X-Request-Id", "bff-7f3a.42");
    }

    @Test
    void anInsaneRequestIdIsReplaced() {
        String id = as(ACME_KEY).header("X-Request-Id", "a b\"<script>")
                .body("{\"email\":\"kari@example.no\"}")
                .post(resendPath("ODR6"))
                .then().statusCode(202).extract().header("X-Request-Id");
        assertTrue(id.matches("[0-9a-f-]{36}"), id);
    }
}
