package io.paylink.gateway.upstream;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.RESEND_PATH;
import static io.paylink.gateway.support.FrontPaymentStubs.SOMETHING_WENT_WRONG;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.ACME_TOKEN;
import static io.paylink.gateway.support.Gateway.GLOBEX_KEY;
import static io.paylink.gateway.support.Gateway.freshEmailBody;
import static io.paylink.gateway.support.Gateway.freshOrder;
import static io.paylink.gateway.support.Gateway.resend;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.GuardPolicyProfile;
import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.LogCapture;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Operators see upstream trouble in the log: which tenant, which host, at most once a minute, never a secret. */
@QuarkusTest
@TestProfile(UpstreamTroubleLogTest.FreshLogState.class)
@QuarkusTestResource(WireMockFrontPayment.class)
class UpstreamTroubleLogTest {

    /** Its own application, so that no earlier test class has used up this minute's warnings. */
    public static class FreshLogState extends GuardPolicyProfile {
    }

    @InjectWireMock
    WireMockServer frontPayment;

    @BeforeEach
    void reset() {
        frontPayment.resetAll();
    }

    private static List<String> troubleLines(LogCapture logs, Level level) {
        return logs.records().stream()
                .filter(r -> r.getLoggerName().equals(UpstreamTrouble.class.getName()) && r.getLevel().intValue() == level.intValue())
                .map(ExtLogRecord::getFormattedMessage)
                .peek(line -> {
                    assertFalse(line.contains("test-token"), line);
                    assertFalse(line.contains("@example.no"), line);
                })
                .toList();
    }

    @Test
    void anUnreachableFrontPaymentIsWarnedOnceAMinuteNamingTenantAndHost() {
        try (LogCapture logs = LogCapture.start()) {
            resend(GuardPolicyProfile.OFFLINE_KEY, freshOrder(), freshEmailBody()).statusCode(502);
            // the next call's attempts reach the breaker's threshold: 502 or 503, either way unreachable again
            resend(GuardPolicyProfile.OFFLINE_KEY, freshOrder(), freshEmailBody()).statusCode(anyOf(is(502), is(503)));

            List<String> warnings = troubleLines(logs, Level.WARNING).stream().filter(line -> line.contains("cannot be reached")).toList();
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("tenant offline") && warnings.get(0).contains("http://127.0.0.1:"), warnings.get(0));
        }
    }

    @Test
    void aRejectedTokenIsWarned() {
        answer(frontPayment, json(401, "{\"message\":\"Unauthenticated\"}"));
        try (LogCapture logs = LogCapture.start()) {
            resend(ACME_KEY, freshOrder(), freshEmailBody()).statusCode(502);

            List<String> warnings = troubleLines(logs, Level.WARNING);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("answered 401 to tenant acme"), warnings.get(0));
            assertFalse(warnings.get(0).contains(ACME_TOKEN));
        }
    }

    @Test
    void theBreakerOpeningIsWarnedAndItsClosingTold() throws InterruptedException {
        String globex = WireMockFrontPayment.GLOBEX_PREFIX + RESEND_PATH + ".*";
        frontPayment.stubFor(post(urlPathMatching(globex)).willReturn(json(510, SOMETHING_WENT_WRONG)));
        try (LogCapture logs = LogCapture.start()) {
            for (int i = 0; i < GuardPolicyProfile.BREAKER_THRESHOLD; i++) {
                resend(GLOBEX_KEY, freshOrder(), freshEmailBody()).statusCode(502);
            }
            List<String> warnings = troubleLines(logs, Level.WARNING);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("tenant globex") && warnings.get(0).contains("opened"), warnings.get(0));

            frontPayment.resetAll();
            frontPayment.stubFor(post(urlPathMatching(globex)).willReturn(json(202, ACCEPTED)));
            // the delay is time that must pass: the breaker turns half-open on the first call after it, nothing shows it before
            Thread.sleep(GuardPolicyProfile.BREAKER_DELAY_MILLIS + 200);
            resend(GLOBEX_KEY, freshOrder(), freshEmailBody()).statusCode(202);

            List<String> closed = troubleLines(logs, Level.INFO);
            assertEquals(1, closed.size(), closed.toString());
            assertTrue(closed.get(0).contains("tenant globex") && closed.get(0).contains("closed"), closed.get(0));
        }
    }
}
