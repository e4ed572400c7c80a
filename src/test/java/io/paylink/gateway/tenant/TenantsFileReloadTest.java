package io.paylink.gateway.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.anyResend;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.FrontPaymentStubs.resendsOf;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.freshEmailBody;
import static io.paylink.gateway.support.Gateway.freshOrder;
import static io.paylink.gateway.support.Gateway.resend;
import static io.paylink.gateway.support.TenantsFileProfile.INITECH_KEY;
import static io.paylink.gateway.support.TenantsFileProfile.INITECH_TOKEN;
import static io.paylink.gateway.support.TenantsFileProfile.sha256Hex;
import static io.paylink.gateway.support.TenantsFileProfile.tenant;
import static io.paylink.gateway.support.TenantsFileProfile.tenantsJson;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.Await;
import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.LogCapture;
import io.paylink.gateway.support.Metrics;
import io.paylink.gateway.support.TenantsFileProfile;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Tenants are added, keys rotated and tokens changed by editing the tenants file, with no restart;
 * an invalid edit changes nothing and says so. Each test waits for the gateway's own word that it
 * took the edit in (its INFO or ERROR line), then checks what callers and Front Payment see.
 */
@QuarkusTest
@TestProfile(TenantsFileProfile.class)
@QuarkusTestResource(WireMockFrontPayment.class)
class TenantsFileReloadTest {

    private static final String RELOADED = "Tenants file reloaded";
    private static final String REFUSED = "Tenants file change refused";
    private static final String REFUSALS = "gateway_tenants_config_reload_failures_total";
    /** The file's first tenant, as the profile writes it. */
    private static final String INITECH = tenant("initech", INITECH_KEY, null, INITECH_TOKEN);

    @InjectWireMock
    WireMockServer frontPayment;

    @BeforeEach
    void accept() {
        frontPayment.resetAll();
        answer(frontPayment, json(202, ACCEPTED));
    }

    @Test
    void aTenantAddedToTheFileIsServedWithoutRestartAlongsideTheEnvironmentsTenants() throws Exception {
        resend("umbrella-file-key", freshOrder(), freshEmailBody()).statusCode(401);

        edit(RELOADED, 1, tenantsJson(INITECH, tenant("umbrella", "umbrella-file-key", null, "umbrella-token-1")));

        String order = freshOrder();
        resend("umbrella-file-key", order, freshEmailBody()).statusCode(202);
        frontPayment.verify(1, resendsOf(order).withHeader("Authorization", equalTo("Bearer umbrella-token-1")));
        resend(INITECH_KEY, freshOrder(), freshEmailBody()).statusCode(202);
        resend(ACME_KEY, freshOrder(), freshEmailBody()).statusCode(202);
        frontPayment.verify(3, anyResend());
    }

    @Test
    void aKeyIsRotatedWithBothAcceptedMeanwhileAndTheOldOneRefusedOnceRemoved() throws Exception {
        edit(RELOADED, 1, tenantsJson(INITECH, tenant("rotating", "old-key", null, "rotating-token")));
        resend("old-key", freshOrder(), freshEmailBody()).statusCode(202);

        // step 1: the new key's hash next to the old one's
        edit(RELOADED, 1, tenantsJson(INITECH, tenant("rotating", "old-key", "new-key", "rotating-token")));
        try (LogCapture log = LogCapture.start()) {
            String oldKeysOrder = freshOrder();
            String newKeysOrder = freshOrder();
            resend("old-key", oldKeysOrder, freshEmailBody()).statusCode(202);
            resend("new-key", newKeysOrder, freshEmailBody()).statusCode(202);
            // the request log line tells the operator which key callers still use, never the key
            assertTrue(requestLine(log, oldKeysOrder).contains(" tenant=rotating key=primary "), () -> requestLine(log, oldKeysOrder));
            assertTrue(requestLine(log, newKeysOrder).contains(" tenant=rotating key=secondary "), () -> requestLine(log, newKeysOrder));
            assertFalse(log.text().contains("old-key") || log.text().contains("new-key"), log::text);
        }

        // step 2: once no line says key=primary any more, the new key becomes the only one
        edit(RELOADED, 1, tenantsJson(INITECH, tenant("rotating", "new-key", null, "rotating-token")));
        resend("old-key", freshOrder(), freshEmailBody()).statusCode(401);
        resend("new-key", freshOrder(), freshEmailBody()).statusCode(202);
        frontPayment.verify(4, anyResend().withHeader("Authorization", equalTo("Bearer rotating-token")));
    }

    @Test
    void aChangedTokenGoesToFrontPaymentFromTheNextCall() throws Exception {
        String before = freshOrder();
        resend(INITECH_KEY, before, freshEmailBody()).statusCode(202);
        frontPayment.verify(1, resendsOf(before).withHeader("Authorization", equalTo("Bearer " + INITECH_TOKEN)));

        edit(RELOADED, 1, tenantsJson(tenant("initech", INITECH_KEY, null, "initech-rotated-token")));

        String after = freshOrder();
        resend(INITECH_KEY, after, freshEmailBody()).statusCode(202);
        frontPayment.verify(1, resendsOf(after).withHeader("Authorization", equalTo("Bearer initech-rotated-token")));
        frontPayment.verify(0, resendsOf(after).withHeader("Authorization", equalTo("Bearer " + INITECH_TOKEN)));

        edit(RELOADED, 1, tenantsJson(INITECH));
    }

    @Test
    void anInvalidEditKeepsTheTenantsInForceAndIsReportedWithoutItsValues() throws Exception {
        edit(RELOADED, 1, tenantsJson(INITECH, tenant("hooli", "hooli-key", null, "hooli-token")));
        double refusalsBefore = Metrics.sum(Metrics.scrape(), REFUSALS);
        given().get("/q/health/well").then().statusCode(200).body("checks.find { it.name == 'tenants' }.status", is("UP"));

        // a token blanked, and a new tenant whose hash is the key itself: neither may take effect, nor be echoed
        List<ExtLogRecord> errors = edit(REFUSED, 2, tenantsJson(INITECH,
                "\"hooli\": {\"api-key-sha256\": \"" + sha256Hex("hooli-key") + "\", \"front-payment-token\": \" \"}",
                "\"pied-piper\": {\"api-key-sha256\": \"plain-secret-key\", \"front-payment-token\": \"pied-piper-token\"}"));

        String logged = String.join("\n", errors.stream().map(ExtLogRecord::getFormattedMessage).toList());
        assertTrue(logged.contains("\"front-payment-token\" of tenant \"hooli\" in the tenants file " + TenantsFileProfile.FILE), logged);
        assertTrue(logged.contains("\"api-key-sha256\" of tenant \"pied-piper\" in the tenants file " + TenantsFileProfile.FILE
                + " (gateway.tenants-file) is not 64 hex characters"), logged);
        assertFalse(logged.contains("plain-secret-key") || logged.contains("pied-piper-token") || logged.contains("hooli-token"), logged);

        String order = freshOrder();
        resend("hooli-key", order, freshEmailBody()).statusCode(202);
        frontPayment.verify(1, resendsOf(order).withHeader("Authorization", equalTo("Bearer hooli-token")));
        resend("plain-secret-key", freshOrder(), freshEmailBody()).statusCode(401);
        assertEquals(refusalsBefore + 1, Metrics.sum(Metrics.scrape(), REFUSALS));
        given().get("/q/health/well").then().statusCode(503).body("status", is("DOWN"))
                .body("checks.name", hasItem("tenants"))
                .body("checks.find { it.name == 'tenants' }.status", is("DOWN"))
                .body("checks.find { it.name == 'tenants' }.data.file", is(TenantsFileProfile.FILE.toString()));

        // a broken file is refused the same way, and fixing it clears the report
        edit(REFUSED, 1, "{\"tenants\": {\"initech\": ");
        assertEquals(refusalsBefore + 2, Metrics.sum(Metrics.scrape(), REFUSALS));
        edit(RELOADED, 1, tenantsJson(INITECH));
        given().get("/q/health/well").then().statusCode(200).body("checks.find { it.name == 'tenants' }.status", is("UP"));
        resend("hooli-key", freshOrder(), freshEmailBody()).statusCode(401);
    }

    /** Writes the file and waits for the gateway's {@code lines} that say it was taken in, or refused: those lines. */
    private static List<ExtLogRecord> edit(String outcome, int lines, String content) throws Exception {
        try (LogCapture log = LogCapture.start()) {
            TenantsFileProfile.write(content);
            Await.count(outcome, () -> lines(log, outcome).size(), lines);
            List<ExtLogRecord> found = lines(log, outcome);
            found.forEach(record -> assertEquals(outcome.equals(REFUSED) ? Level.SEVERE.intValue() : Level.INFO.intValue(),
                    record.getLevel().intValue(), record::getFormattedMessage));
            return found;
        }
    }

    private static List<ExtLogRecord> lines(LogCapture log, String start) {
        return log.records().stream().filter(record -> record.getFormattedMessage().startsWith(start)).toList();
    }

    private static String requestLine(LogCapture log, String order) {
        return log.records().stream().map(ExtLogRecord::getFormattedMessage).filter(line -> line.contains(" order=" + order + " "))
                .findFirst().orElse("no request line for " + order);
    }
}
