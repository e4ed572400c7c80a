package io.paylink.gateway.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.RESEND_PATH;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.anyResend;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.ACME_TOKEN;
import static io.paylink.gateway.support.Gateway.GLOBEX_KEY;
import static io.paylink.gateway.support.Gateway.GLOBEX_TOKEN;
import static io.paylink.gateway.support.Gateway.resend;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** acme uses the default Front Payment URL, globex its own: each key reaches only its own token and URL. */
@QuarkusTest
@QuarkusTestResource(WireMockFrontPayment.class)
class TenantIsolationTest {

    private static final String EMAIL = "{\"email\":\"kari@example.no\"}";

    @InjectWireMock
    WireMockServer frontPayment;

    @BeforeEach
    void accept() {
        frontPayment.resetAll();
        answer(frontPayment, json(202, ACCEPTED));
    }

    @Test
    void eachTenantsCallCarriesOnlyItsOwnTokenToItsOwnBaseUrl() {
        resend(ACME_KEY, "ODR-A", EMAIL).statusCode(202);
        resend(GLOBEX_KEY, "ODR-G", EMAIL).statusCode(202);

        frontPayment.verify(1, postRequestedFor(urlPathEqualTo(RESEND_PATH + "ODR-A"))
                .withHeader("Authorization", equalTo("Bearer " + ACME_TOKEN)));
        frontPayment.verify(1, postRequestedFor(urlPathEqualTo(WireMockFrontPayment.GLOBEX_PREFIX + RESEND_PATH + "ODR-G"))
                .withHeader("Authorization", equalTo("Bearer " + GLOBEX_TOKEN)));
        frontPayment.verify(2, anyResend());
    }

    @Test
    void aTenantWithItsOwnBaseUrlGetsTheNamedClientsSettingsToo() {
        resend(GLOBEX_KEY, "ODR-UA", EMAIL).statusCode(202);
        // quarkus.rest-client.front-payment.user-agent; any other setting of the named client travels the same way
        frontPayment.verify(1, postRequestedFor(urlPathEqualTo(WireMockFrontPayment.GLOBEX_PREFIX + RESEND_PATH + "ODR-UA"))
                .withHeader("User-Agent", equalTo("resend-gateway")));
    }

    @Test
    void aTokenNeverTravelsWithAnotherTenantsKey() {
        for (int i = 0; i < 5; i++) {
            resend(i % 2 == 0 ? ACME_KEY : GLOBEX_KEY, "ODR-" + i, EMAIL).statusCode(202);
        }
        frontPayment.verify(3, anyResend().withHeader("Authorization", equalTo("Bearer " + ACME_TOKEN)));
        frontPayment.verify(2, anyResend().withHeader("Authorization", equalTo("Bearer " + GLOBEX_TOKEN)));
        frontPayment.verify(0, postRequestedFor(urlPathEqualTo(WireMockFrontPayment.GLOBEX_PREFIX + RESEND_PATH + "ODR-0")));
        frontPayment.verify(0, postRequestedFor(urlPathEqualTo(RESEND_PATH + "ODR-1")));
    }

    @Test
    void aKeyThatDiffersByOneCharacterIsNotATenant() {
        resend(ACME_KEY.substring(0, ACME_KEY.length() - 1) + "X", "ODR-X", EMAIL).statusCode(401);
        resend("x" + ACME_KEY, "ODR-X", EMAIL).statusCode(401);
        frontPayment.verify(0, anyResend());
    }
}
