import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { resendPaymentLink, type ResendOutcome, type ResendOptions } from "../src/index";
import { FrontPayment } from "./support/front-payment";
import { LossyProxy } from "./support/lossy-proxy";
import { PackagedGateway, sha256 } from "./support/packaged-gateway";

const API_KEY = "ts-client-test-key";
const TOKEN = "ts-client-front-payment-token";
const PER_ORDER_LIMIT = 3;

/** The packaged gateway with a Front Payment stand-in, and the client as a BFF uses it. */
describe("resendPaymentLink against the packaged gateway", () => {
  let frontPayment: FrontPayment;
  let gateway: PackagedGateway;
  let proxy: LossyProxy;

  before(async () => {
    frontPayment = await FrontPayment.start();
    gateway = await PackagedGateway.start({
      QUARKUS_REST_CLIENT_FRONT_PAYMENT_URL: frontPayment.url,
      GATEWAY_TENANTS__TSCLIENT__API_KEY_SHA256: sha256(API_KEY),
      GATEWAY_TENANTS__TSCLIENT__FRONT_PAYMENT_TOKEN: TOKEN,
      // required in production by newer versions; obviously fake, only for this loopback test
      GATEWAY_HASH_SECRET: "ts-client-test-hash-secret-not-a-real-one-0123456789",
      GATEWAY_RESEND_LIMIT_PER_ORDER: String(PER_ORDER_LIMIT),
      GATEWAY_RESEND_LIMIT_PER_DESTINATION: "1000",
      // a window short enough that a client retrying a 429 after its Retry-After would do so within its time bound
      GATEWAY_RESEND_LIMIT_WINDOW: "15s",
      // one call to Front Payment at a time and one waiting: a third is refused with 503 OVERLOADED
      GATEWAY_BULKHEAD_LIMIT: "1",
      GATEWAY_BULKHEAD_QUEUE: "1",
      // a short claim lease (time-out, no retries), so that 409 IDEMPOTENCY_KEY_IN_USE asks for a short wait
      GATEWAY_UPSTREAM_TIMEOUT: "5s",
      GATEWAY_UPSTREAM_RETRY_MAX_RETRIES: "0",
    });
    proxy = await LossyProxy.start(gateway.url);
    // a cold JVM's first request is slow; the tests below count attempts
    assert.equal((await resend({ orderUuid: "ODR-TS-WARM-UP", body: { phone: "+47 912 34 567" } })).code, "ACCEPTED");
  });

  after(async () => {
    await Promise.allSettled([gateway?.stop(), proxy?.stop(), frontPayment?.stop()]);
  });

  /** Generous time bounds: on a busy machine an attempt must not end as "no answer" where a test counts attempts. */
  const resend = (options: Partial<ResendOptions> & Pick<ResendOptions, "orderUuid" | "body">): Promise<ResendOutcome> =>
    resendPaymentLink({ baseUrl: gateway.url, apiKey: API_KEY, attemptTimeoutMs: 60_000, totalTimeoutMs: 120_000, ...options });

  test("202: Front Payment gets the tenant's token and the number, and the same key replays", async () => {
    const outcome = await resend({ orderUuid: "ODR-TS-202", body: { phone: "+47 912 34 567" } });

    assert.equal(outcome.code, "ACCEPTED", JSON.stringify(outcome));
    if (outcome.code !== "ACCEPTED") return;
    assert.deepEqual(outcome.accepted, { orderUuid: "ODR-TS-202", channels: ["SMS"] });
    assert.equal(outcome.status, 202);
    assert.equal(outcome.attempts, 1);
    assert.equal(outcome.replayed, false);
    assert.match(outcome.requestId ?? "", /^[0-9a-f-]{36}$/);
    assert.deepEqual(frontPayment.callsFor("ODR-TS-202"), [
      { orderUuid: "ODR-TS-202", authorization: `Bearer ${TOKEN}`, body: { countryCode: "+47", msisdn: "91234567" } },
    ]);

    // the key was sent: asking again with it is answered from the store, Front Payment is not called again
    const again = await resend({ orderUuid: "ODR-TS-202", body: { phone: "+47 912 34 567" }, idempotencyKey: outcome.idempotencyKey });
    assert.equal(again.code, "ACCEPTED");
    assert.equal(again.code === "ACCEPTED" && again.replayed, true);
    assert.equal(frontPayment.callsFor("ODR-TS-202").length, 1);
  });

  test("a validation problem comes back by its code, with its violations, and is not retried", async () => {
    const outcome = await resend({ orderUuid: "ODR-TS-422", body: { phone: "12345" } });

    assert.equal(outcome.code, "VALIDATION_FAILED", JSON.stringify(outcome));
    if (outcome.code !== "VALIDATION_FAILED") return;
    assert.equal(outcome.status, 422);
    assert.equal(outcome.attempts, 1);
    assert.equal(outcome.problem.violations?.[0]?.field, "phone");
    assert.equal(outcome.problem.requestId, outcome.requestId);
    assert.equal(frontPayment.callsFor("ODR-TS-422").length, 0);
  });

  test("a lost answer: the retry carries the same key, gets the stored 202, and Front Payment saw one call", async () => {
    proxy.drop = 1;
    const before = proxy.keys.length;

    const outcome = await resend({ baseUrl: proxy.url, orderUuid: "ODR-TS-LOST", body: { email: "kari@example.no" } });

    assert.equal(outcome.code, "ACCEPTED", JSON.stringify(outcome));
    if (outcome.code !== "ACCEPTED") return;
    assert.equal(outcome.attempts, 2);
    assert.equal(outcome.replayed, true);
    assert.deepEqual(proxy.keys.slice(before), [outcome.idempotencyKey, outcome.idempotencyKey]);
    assert.equal(frontPayment.callsFor("ODR-TS-LOST").length, 1);
  });

  test("429 RESEND_RATE_LIMITED is returned at once, not retried", async () => {
    for (let i = 0; i < PER_ORDER_LIMIT; i++) {
      assert.equal((await resend({ orderUuid: "ODR-TS-429", body: { email: `limit${i}@example.no` } })).code, "ACCEPTED");
    }

    const outcome = await resend({ orderUuid: "ODR-TS-429", body: { email: "limit-over@example.no" } });

    assert.equal(outcome.code, "RESEND_RATE_LIMITED", JSON.stringify(outcome));
    if (outcome.code !== "RESEND_RATE_LIMITED") return;
    assert.equal(outcome.status, 429);
    assert.equal(outcome.attempts, 1);
    assert.ok((outcome.retryAfterSeconds ?? 0) > 0, "Retry-After is passed on");
    assert.ok((outcome.retryAfterSeconds ?? 0) * 1000 < 30_000, "short enough to be waited for: not retrying is a choice");
    assert.equal(frontPayment.callsFor("ODR-TS-429").length, PER_ORDER_LIMIT);
  });

  test("503 OVERLOADED is retried after its Retry-After, with the same key", async () => {
    const release = frontPayment.hold("ODR-TS-HOLD");
    const holder = resend({ orderUuid: "ODR-TS-HOLD", body: { email: "hold@example.no" } });
    await frontPayment.reached("ODR-TS-HOLD");
    // the tenant's one call is taken; of these two, one waits in the queue and the other is refused
    const raw = (order: string) =>
      fetch(`${gateway.url}/v1/orders/${order}/payment-link/resend`, {
        method: "POST",
        headers: { "X-Api-Key": API_KEY, "Content-Type": "application/json" },
        body: JSON.stringify({ email: "queue@example.no" }),
      });
    const queued = [raw("ODR-TS-QUEUE-1"), raw("ODR-TS-QUEUE-2")];
    const refused = await Promise.race(queued);
    assert.equal(refused.status, 503, "with one call running and one waiting, a third is refused");

    const attempts: { status: number; at: number; key: string | null }[] = [];
    const outcome = await resend({
      orderUuid: "ODR-TS-OVERLOADED",
      body: { email: "overloaded@example.no" },
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        attempts.push({ status: response.status, at: Date.now(), key: new Headers(init?.headers).get("Idempotency-Key") });
        if (response.status === 503) {
          release(); // the held call ends, the waiting one runs: there is room when the client comes back
        }
        return response;
      },
    });

    assert.equal(outcome.code, "ACCEPTED", JSON.stringify(outcome));
    assert.deepEqual(attempts.map((attempt) => attempt.status), [503, 202]);
    assert.equal(attempts[0]?.key, outcome.idempotencyKey);
    assert.equal(attempts[1]?.key, outcome.idempotencyKey);
    assert.ok(attempts[1]!.at - attempts[0]!.at >= 1000, "waited the Retry-After (1 s) before trying again");
    assert.equal(frontPayment.callsFor("ODR-TS-OVERLOADED").length, 1);
    assert.equal((await holder).code, "ACCEPTED");
    await Promise.all(queued);
  });

  test("409 IDEMPOTENCY_KEY_IN_USE after an attempt that got no answer: waits, then gets the stored 202", async () => {
    const release = frontPayment.hold("ODR-TS-INUSE");
    const statuses: (number | string)[] = [];

    const outcome = await resend({
      orderUuid: "ODR-TS-INUSE",
      body: { email: "inuse@example.no" },
      attemptTimeoutMs: 500,
      fetch: async (input, init) => {
        try {
          const response = await fetch(input, init);
          statuses.push(response.status);
          if (response.status === 409) {
            release();
          }
          return response;
        } catch (error) {
          statuses.push("no answer");
          throw error;
        }
      },
    });

    assert.equal(outcome.code, "ACCEPTED", JSON.stringify(outcome));
    if (outcome.code !== "ACCEPTED") return;
    assert.deepEqual(statuses, ["no answer", 409, 202]);
    assert.equal(outcome.replayed, true);
    assert.equal(frontPayment.callsFor("ODR-TS-INUSE").length, 1);
  });

  test("the total time is bounded: no answer at all ends as NO_ANSWER, with the key to ask again", async () => {
    const closed = await FrontPayment.start();
    const nowhere = closed.url;
    await closed.stop(); // a loopback port nothing listens on any more
    const started = Date.now();
    const outcome = await resendPaymentLink({
      baseUrl: nowhere,
      apiKey: API_KEY,
      orderUuid: "ODR-TS-NOWHERE",
      body: { email: "nowhere@example.no" },
      totalTimeoutMs: 1_500,
    });

    assert.equal(outcome.code, "NO_ANSWER");
    assert.ok(outcome.attempts > 1, "network errors are retried");
    assert.ok(Date.now() - started < 1_500 + 3_000, "within the bound");
    assert.match(outcome.idempotencyKey, /^[0-9a-f-]{36}$/);
  });
});
