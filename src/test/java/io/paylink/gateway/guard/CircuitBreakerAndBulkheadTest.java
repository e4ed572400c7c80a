package io.paylink.gateway.guard;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.NOT_FOUND;
import static io.paylink.gateway.support.FrontPaymentStubs.RESEND_PATH;
import static io.paylink.gateway.support.FrontPaymentStubs.SOMETHING_WENT_WRONG;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.anyResend;
import static io.paylink.gateway.support.FrontPaymentStubs.awaitResends;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.ACME_TOKEN;
import static io.paylink.gateway.support.Gateway.GLOBEX_KEY;
import static io.paylink.gateway.support.Gateway.assertProblem;
import static io.paylink.gateway.support.Gateway.freshEmailBody;
import static io.paylink.gateway.support.Gateway.freshOrder;
import static io.paylink.gateway.support.Gateway.resend;
import static io.paylink.gateway.support.Gateway.resendPath;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import io.restassured.RestAssured;
import io.restassured.response.Response;

import io.paylink.gateway.support.Await;
import io.paylink.gateway.support.Concurrently;
import io.paylink.gateway.support.GuardPolicyProfile;
import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.Metrics;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(GuardPolicyProfile.class)
@QuarkusTestResource(WireMockFrontPayment.class)
class CircuitBreakerAndBulkheadTest {

    private static final String GLOBEX_RESENDS = WireMockFrontPayment.GLOBEX_PREFIX + RESEND_PATH + ".*";

    @InjectWireMock
    WireMockServer frontPayment;

    @Inject
    Admission admission;

    @BeforeEach
    void reset() {
        frontPayment.resetAll();
    }

    private void globexAnswers(ResponseDefinitionBuilder response) {
        frontPayment.stubFor(post(urlPathMatching(GLOBEX_RESENDS)).willReturn(response));
    }

    /** Each of the threshold's calls gets {@code failing}, seen as {@code status}/{@code code}; the next is 503 without a call. */
    private void failUntilTheBreakerOpens(ResponseDefinitionBuilder failing, int status, String code) {
        globexAnswers(failing);
        for (int i = 0; i < GuardPolicyProfile.BREAKER_THRESHOLD; i++) {
            assertProblem(resend(GLOBEX_KEY, freshOrder(), freshEmailBody()), status, code);
        }

        assertProblem(resend(GLOBEX_KEY, freshOrder(), freshEmailBody()), 503, "UPSTREAM_UNAVAILABLE").header("Retry-After", "1");
        frontPayment.verify(GuardPolicyProfile.BREAKER_THRESHOLD, postRequestedFor(urlPathMatching(GLOBEX_RESENDS)));
    }

    /** Front Payment answers again and the breaker's delay has passed; the next call is the half-open trial. */
    private void recover() throws InterruptedException {
        frontPayment.resetAll();
        globexAnswers(json(202, ACCEPTED));
        // the delay is time that must pass: the breaker turns half-open on the first call after it, nothing shows it before
        Thread.sleep(GuardPolicyProfile.BREAKER_DELAY_MILLIS + 200);
    }

    @Test
    void breakerOpensAfterTheConfiguredFailuresAnswers503WithoutCallingAndClosesAfterRecovery() throws InterruptedException {
        failUntilTheBreakerOpens(json(510, SOMETHING_WENT_WRONG), 502, "UPSTREAM_ERROR");

        recover();
        resend(GLOBEX_KEY, freshOrder(), freshEmailBody()).statusCode(202);
        resend(GLOBEX_KEY, freshOrder(), freshEmailBody()).statusCode(202);
        frontPayment.verify(2, postRequestedFor(urlPathMatching(GLOBEX_RESENDS)));
    }

    @Test
    void timeOutsOpenTheBreakerToo() throws InterruptedException {
        failUntilTheBreakerOpens(json(202, ACCEPTED).withFixedDelay(GuardPolicyProfile.TIMEOUT_MILLIS + 500), 504, "UPSTREAM_TIMEOUT");

        recover(); // closed again for the other cases of this class
        resend(GLOBEX_KEY, freshOrder(), freshEmailBody()).statusCode(202);
    }

    @Test
    void oneTenantsFailuresNeverOpenTheBreakerForAnotherTenantOnTheSameUrl() throws InterruptedException {
        // successes first: earlier failures of acme in the breaker's rolling window must not count here
        answer(frontPayment, json(202, ACCEPTED));
        for (int i = 0; i < GuardPolicyProfile.BREAKER_THRESHOLD; i++) {
            resend(ACME_KEY, freshOrder(), freshEmailBody()).statusCode(202);
        }
        frontPayment.resetAll();
        frontPayment.stubFor(post(urlPathMatching(RESEND_PATH + ".*")).withHeader("Authorization", equalTo("Bearer " + ACME_TOKEN))
                .willReturn(json(510, SOMETHING_WENT_WRONG)));
        frontPayment.stubFor(post(urlPathMatching(RESEND_PATH + ".*"))
                .withHeader("Authorization", equalTo("Bearer " + GuardPolicyProfile.INITECH_TOKEN)).willReturn(json(202, ACCEPTED)));
        for (int i = 0; i < GuardPolicyProfile.BREAKER_THRESHOLD; i++) {
            assertProblem(resend(ACME_KEY, freshOrder(), freshEmailBody()), 502, "UPSTREAM_ERROR");
        }
        assertProblem(resend(ACME_KEY, freshOrder(), freshEmailBody()), 503, "UPSTREAM_UNAVAILABLE");

        resend(GuardPolicyProfile.INITECH_KEY, freshOrder(), freshEmailBody()).statusCode(202);
        frontPayment.verify(1, anyResend().withHeader("Authorization", equalTo("Bearer " + GuardPolicyProfile.INITECH_TOKEN)));
        frontPayment.verify(GuardPolicyProfile.BREAKER_THRESHOLD, anyResend().withHeader("Authorization", equalTo("Bearer " + ACME_TOKEN)));

        // acme's breaker closes again for the other cases of this class
        frontPayment.resetAll();
        answer(frontPayment, json(202, ACCEPTED));
        // the delay is time that must pass: the breaker turns half-open on the first call after it, nothing shows it before
        Thread.sleep(GuardPolicyProfile.BREAKER_DELAY_MILLIS + 200);
        resend(ACME_KEY, freshOrder(), freshEmailBody()).statusCode(202);
    }

    @Test
    void businessAnswersNeverOpenTheBreaker() {
        globexAnswers(json(404, NOT_FOUND));
        for (int i = 0; i < GuardPolicyProfile.BREAKER_THRESHOLD * 2; i++) {
            assertProblem(resend(GLOBEX_KEY, freshOrder(), freshEmailBody()), 404, "ORDER_NOT_FOUND");
        }
        frontPayment.verify(GuardPolicyProfile.BREAKER_THRESHOLD * 2, postRequestedFor(urlPathMatching(GLOBEX_RESENDS)));
    }

    @Test
    void oneTenantSaturatingItsBulkheadGetsOverloadedWhileAnotherIsStillServed() throws Exception {
        // acme's upstream is slow, globex's is not
        frontPayment.stubFor(post(urlPathMatching(RESEND_PATH + ".*")).willReturn(json(202, ACCEPTED).withFixedDelay(700)));
        globexAnswers(json(202, ACCEPTED));
        int admitted = GuardPolicyProfile.BULKHEAD_LIMIT + GuardPolicyProfile.BULKHEAD_QUEUE;
        int flood = admitted + 2;
        List<Response> answers = Concurrently.send(flood, n -> resend(ACME_KEY, freshOrder(), freshEmailBody()).extract().response(),
                () -> {
                    // acme's running calls hold its bulkhead
                    awaitResends(frontPayment, GuardPolicyProfile.BULKHEAD_LIMIT);
                    resend(GLOBEX_KEY, freshOrder(), freshEmailBody()).statusCode(202);
                });
        int accepted = 0;
        for (Response response : answers) {
            if (response.statusCode() == 202) {
                accepted++;
            } else {
                assertProblem(response.then(), 503, "OVERLOADED").header("Retry-After", "1");
            }
        }
        assertEquals(admitted, accepted);
        frontPayment.verify(admitted, postRequestedFor(urlPathMatching(RESEND_PATH + ".*")));
    }

    @Test
    void beyondItsPlacesATenantsRequestIsRefusedBeforeItsBodyIsRead() throws Exception {
        frontPayment.stubFor(post(urlPathMatching(RESEND_PATH + ".*")).willReturn(json(202, ACCEPTED).withFixedDelay(700)));
        int places = GuardPolicyProfile.BULKHEAD_LIMIT + GuardPolicyProfile.BULKHEAD_QUEUE;
        List<Response> admitted = Concurrently.send(places, n -> resend(ACME_KEY, freshOrder(), freshEmailBody()).extract().response(),
                () -> {
                    // acme's running calls have reached Front Payment; the queued one was released with them
                    awaitResends(frontPayment, GuardPolicyProfile.BULKHEAD_LIMIT);
                    Await.count("acme's requests inside", () -> admission.inside("acme"), places);
                    // once read, this body would be a 400: refusing the request costs nothing of that
                    assertProblem(resend(ACME_KEY, freshOrder(), "{not json"), 503, "OVERLOADED").header("Retry-After", "1");
                });
        admitted.forEach(response -> assertEquals(202, response.statusCode(), response.asString()));
        assertProblem(resend(ACME_KEY, freshOrder(), "{not json"), 400, "MALFORMED_REQUEST");
    }

    @Test
    void thePlacesOfCallersWhoHangUpComeBack() throws Exception {
        frontPayment.stubFor(post(urlPathMatching(RESEND_PATH + ".*")).willReturn(json(202, ACCEPTED).withFixedDelay(200)));
        int places = GuardPolicyProfile.BULKHEAD_LIMIT + GuardPolicyProfile.BULKHEAD_QUEUE;
        double acmeRequestsBefore = acmeRequests(Metrics.scrape());
        for (int round = 0; round < 3; round++) {
            List<Socket> callers = new ArrayList<>();
            for (int i = 0; i < places; i++) {
                Socket caller = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port);
                String body = freshEmailBody();
                caller.getOutputStream().write(("POST " + resendPath(freshOrder()) + " HTTP/1.1\r\nHost: localhost\r\nX-Api-Key: "
                        + ACME_KEY + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n"
                        + body).getBytes(StandardCharsets.US_ASCII));
                callers.add(caller);
            }
            // The requests are in. A pause, since nothing shows it: those the sends left behind by the
            // callers before find no place are answered and gone at once, the others wait inside.
            Thread.sleep(100);
            for (Socket caller : callers) {
                caller.close();
            }
        }
        // the sends the hung-up callers left behind have finished: each request is counted once its outcome is known
        Await.count("acme's requests counted", () -> (int) (acmeRequests(Metrics.scrape()) - acmeRequestsBefore), 3 * places);
        List<Response> answers = Concurrently.send(places, n -> resend(ACME_KEY, freshOrder(), freshEmailBody()).extract().response(),
                () -> {
                });
        answers.forEach(response -> assertEquals(202, response.statusCode(), "a place was lost: " + response.asString()));
    }

    private static double acmeRequests(String scrape) {
        return Metrics.sum(scrape, "gateway_requests_total", "tenant=\"acme\"");
    }
}
