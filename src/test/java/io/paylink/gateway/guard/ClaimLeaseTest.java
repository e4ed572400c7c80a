package io.paylink.gateway.guard;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.paylink.gateway.support.FrontPaymentStubs.ACCEPTED;
import static io.paylink.gateway.support.FrontPaymentStubs.RESEND_PATH;
import static io.paylink.gateway.support.FrontPaymentStubs.answer;
import static io.paylink.gateway.support.FrontPaymentStubs.awaitResends;
import static io.paylink.gateway.support.FrontPaymentStubs.json;
import static io.paylink.gateway.support.FrontPaymentStubs.resendsOf;
import static io.paylink.gateway.support.Gateway.ACME_KEY;
import static io.paylink.gateway.support.Gateway.as;
import static io.paylink.gateway.support.Gateway.assertProblem;
import static io.paylink.gateway.support.Gateway.freshEmailBody;
import static io.paylink.gateway.support.Gateway.freshOrder;
import static io.paylink.gateway.support.Gateway.resendPath;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * An Idempotency-Key's claim is a lease, and a call may wait in its tenant's bulkhead queue for
 * longer than that lease. A copy of the request that arrives once the lease has lapsed takes the key
 * over; the call that waited must then not be sent: one key, one call, whatever the queue does.
 */
@QuarkusTest
@TestProfile(ClaimLeaseTest.OneSlotLongQueue.class)
@QuarkusTestResource(WireMockFrontPayment.class)
class ClaimLeaseTest {

    /** Each holds the slot for one time-out: the waiter behind them waits far longer than its lease. */
    private static final int BLOCKERS = 4;

    /** One call at a time, a queue, a three-second time-out: a lease of 3 + 0.2 + 1 = 4.2 s (Idempotency.lease). */
    public static class OneSlotLongQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gateway.bulkhead.limit", "1",
                    "gateway.bulkhead.queue", String.valueOf(BLOCKERS + 1),
                    "gateway.upstream.timeout", "3s",
                    "gateway.upstream.retry.max-retries", "0",
                    "gateway.store-timeout", "200ms");
        }
    }

    @InjectWireMock
    WireMockServer frontPayment;

    @Inject
    Idempotency idempotency;

    /** A thread per waiting caller: each blocks on its answer. */
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    @Test
    void aCallThatWaitedPastItsLeaseIsNotSentOnceACopyTookTheKeyOver() throws Exception {
        frontPayment.resetAll();
        answer(frontPayment, json(202, ACCEPTED).withFixedDelay(10_000)); // every blocker holds the one slot until its time-out
        String order = freshOrder();
        frontPayment.stubFor(post(urlPathEqualTo(RESEND_PATH + order)).willReturn(json(202, ACCEPTED)));
        String key = "bff-" + UUID.randomUUID();
        String body = freshEmailBody();

        List<CompletableFuture<Response>> blockers = new ArrayList<>();
        for (int i = 0; i < BLOCKERS; i++) {
            blockers.add(CompletableFuture.supplyAsync(() -> as(ACME_KEY).body(freshEmailBody()).post(resendPath(freshOrder())), callers));
        }
        awaitResends(frontPayment, 1);
        CompletableFuture<Response> waiter = CompletableFuture.supplyAsync(() -> keyed(key, order, body), callers);

        // Nothing outside the gateway shows the waiter's claim. A copy sent before it would claim the key
        // itself and get no 409 below: a pause too short fails this test loudly, never passes it wrongly.
        Thread.sleep(500);
        // a copy while the waiter's lease runs is told to come back when it ends, not in one second
        Response early = keyed(key, order, body);
        assertProblem(early.then(), 409, "IDEMPOTENCY_KEY_IN_USE");
        long retryAfter = Long.parseLong(early.header("Retry-After"));
        // a slow machine may take a second or two to send the copy, never most of the lease
        assertTrue(retryAfter >= idempotency.lease().toSeconds() / 2, "Retry-After " + retryAfter + " s, lease " + idempotency.lease());

        // a client that honours Retry-After: the time has to pass for the lease to lapse
        Thread.sleep(TimeUnit.SECONDS.toMillis(retryAfter));
        assertTrue(!waiter.isDone(), () -> "the waiter left the queue before its lease lapsed, the test proves nothing: Retry-After "
                + retryAfter + " s, waiter " + waiter.join().statusCode() + " " + waiter.join().asString());
        CompletableFuture<Response> copy = CompletableFuture.supplyAsync(() -> keyed(key, order, body), callers);

        assertProblem(waiter.get(30, TimeUnit.SECONDS).then(), 409, "IDEMPOTENCY_KEY_IN_USE");
        copy.get(30, TimeUnit.SECONDS).then().statusCode(202);
        for (CompletableFuture<Response> blocker : blockers) {
            assertProblem(blocker.get(30, TimeUnit.SECONDS).then(), 504, "UPSTREAM_TIMEOUT");
        }
        assertEquals(1, frontPayment.findAll(resendsOf(order)).size(), "one key, one call");
        as(ACME_KEY).header("Idempotency-Key", key).body(body).post(resendPath(order))
                .then().statusCode(202).header("Idempotent-Replayed", equalTo("true"));
    }

    private static Response keyed(String key, String order, String body) {
        return as(ACME_KEY).header("Idempotency-Key", key).body(body).post(resendPath(order));
    }
}
