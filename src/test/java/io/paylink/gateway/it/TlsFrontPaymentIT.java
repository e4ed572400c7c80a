package io.paylink.gateway.it;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.FrontPaymentStubs.resendsOf;
import static io.paylink.gateway.support.Gateway.assertProblem;
import static io.paylink.gateway.support.Gateway.resendPath;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.paylink.gateway.support.TlsFrontPayment;
import io.restassured.response.ValidatableResponse;

/**
 * The packaged prod artifact (jar, or the native executable in CI) calls Front Payment over HTTPS
 * with the trust store configured on the named REST client by environment variables alone, and
 * without it cannot reach a Front Payment whose certificate no default trust store holds: the
 * handshake fails before any request, so nothing is sent. The key pair is made for this run.
 */
class TlsFrontPaymentIT {

    private static final String KEY = "it-api-key";
    private static final String EMAIL = "{\"email\":\"kari@example.no\"}";
    private static Path dir;
    private static Path trustStore;
    private static WireMockServer frontPayment;

    @BeforeAll
    static void startFrontPaymentOverHttps() throws Exception {
        dir = Files.createTempDirectory("tls-front-payment-it");
        Path serverKeys = dir.resolve("front-payment.p12");
        trustStore = dir.resolve("trust.p12");
        TlsFrontPayment.generateKeyPair(serverKeys);
        TlsFrontPayment.writeTrustStore(serverKeys, trustStore);
        frontPayment = new WireMockServer(wireMockConfig().httpDisabled(true).dynamicHttpsPort().bindAddress("127.0.0.1")
                .keystorePath(serverKeys.toString()).keystoreType("PKCS12")
                .keystorePassword(TlsFrontPayment.PASSWORD).keyManagerPassword(TlsFrontPayment.PASSWORD));
        frontPayment.start();
        answer(frontPayment, json(202, ACCEPTED));
    }

    @AfterAll
    static void stop() throws Exception {
        if (frontPayment != null) {
            frontPayment.stop();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    @BeforeEach
    void forgetRequests() {
        frontPayment.resetRequests();
    }

    /** The tenant of CrashedInstanceIT, on the in-memory store, with Front Payment at the HTTPS port. */
    private static Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("QUARKUS_HTTP_PORT", "0");
        environment.put(PackagedApp.HASH_SECRET.getKey(), PackagedApp.HASH_SECRET.getValue());
        environment.put("QUARKUS_REST_CLIENT_FRONT_PAYMENT_URL", "https://127.0.0.1:" + frontPayment.httpsPort());
        environment.put("GATEWAY_TENANTS__IT__API_KEY_SHA256", "26929a0319d220d8845ab862ea110394becf4469495e3a57952a7d95d41a5200");
        environment.put("GATEWAY_TENANTS__IT__FRONT_PAYMENT_TOKEN", "it-front-payment-token");
        return environment;
    }

    @Test
    void withTheTrustStoreTheResendReachesFrontPaymentOverHttps() throws Exception {
        Map<String, String> environment = environment();
        environment.put("QUARKUS_REST_CLIENT_FRONT_PAYMENT_TRUST_STORE", trustStore.toString());
        environment.put("QUARKUS_REST_CLIENT_FRONT_PAYMENT_TRUST_STORE_PASSWORD", TlsFrontPayment.PASSWORD);
        environment.put("QUARKUS_REST_CLIENT_FRONT_PAYMENT_TRUST_STORE_TYPE", "PKCS12");
        try (PackagedApp app = PackagedApp.start(environment)) {
            resend(app.port(), "ODR-TLS-TRUSTED").statusCode(202);
            frontPayment.verify(1, resendsOf("ODR-TLS-TRUSTED")
                    .withHeader("Authorization", WireMock.equalTo("Bearer it-front-payment-token")));
        }
    }

    @Test
    void withoutTheTrustStoreFrontPaymentIsUnreachableAndNothingIsSent() throws Exception {
        try (PackagedApp app = PackagedApp.start(environment())) {
            assertProblem(resend(app.port(), "ODR-TLS-UNTRUSTED"), 502, "UPSTREAM_ERROR")
                    .body("detail", containsString("nothing was sent"));
            assertEquals(0, frontPayment.findAll(anyRequestedFor(anyUrl())).size(), "no request got past the handshake");
        }
    }

    private static ValidatableResponse resend(int port, String order) {
        return given().port(port).header("X-Api-Key", KEY).contentType("application/json").body(EMAIL)
                .post(resendPath(order)).then();
    }
}
