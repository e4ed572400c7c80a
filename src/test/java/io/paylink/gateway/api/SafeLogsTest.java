package io.paylink.gateway.api;

import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.FrontPaymentStubs.validationErrors;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.ACME_TOKEN;
import static io.paylink.gateway.support.Gateway.resend;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.LogCapture;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Captures everything the gateway logs while serving requests full of secrets and contacts. */
@QuarkusTest
@QuarkusTestResource(WireMockFrontPayment.class)
class SafeLogsTest {

    private static final String PHONE_DIGITS = "91234567";
    private static final String EMAIL = "kari.nordmann@example.no";

    @InjectWireMock
    WireMockServer frontPayment;

    @Test
    void noTokenKeyOrFullContactIsEverLoggedButMaskedOnesAre() {
        String all;
        try (LogCapture logs = LogCapture.start()) {
            frontPayment.resetAll();
            answer(frontPayment, json(202, ACCEPTED));
            resend(ACME_KEY, "ODR1", "{\"phone\":\"+47 912 34 567\",\"email\":\"" + EMAIL + "\"}").statusCode(202);
            resend(ACME_KEY, "ODR2", "{\"countryCode\":\"+47\",\"msisdn\":\"" + PHONE_DIGITS + "\"}").statusCode(202);
            resend("wrong-key-" + ACME_KEY, "ODR3", "{\"email\":\"" + EMAIL + "\"}").statusCode(401);
            resend(ACME_KEY, "ODR4", "{\"phone\":\"+47 912 34\",\"email\":\"not-an-" + EMAIL + "@\"}").statusCode(422);
            frontPayment.resetAll();
            answer(frontPayment, json(417, validationErrors("{\"email\":[\"" + EMAIL + " bounced\"]}")));
            resend(ACME_KEY, "ODR5", "{\"email\":\"" + EMAIL + "\"}").statusCode(422);
            all = logs.text();
        }

        assertTrue(all.contains("order=ODR1"), "the request line is logged:\n" + all);
        assertTrue(all.contains("+47******67"), "masked phone is logged:\n" + all);
        assertTrue(all.contains("k***@example.no"), "masked email is logged:\n" + all);
        assertTrue(all.contains("outcome=UNAUTHENTICATED"), all);
        for (String secret : List.of(ACME_TOKEN, ACME_KEY, PHONE_DIGITS, "912 34 567", EMAIL, "Bearer")) {
            assertFalse(all.contains(secret), "log leaks '" + secret + "':\n" + all);
        }
    }
}
