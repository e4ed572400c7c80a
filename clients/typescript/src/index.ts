import type { components } from "./generated/openapi";

export type ResendRequest = components["schemas"]["ResendRequest"];
export type ResendAccepted = components["schemas"]["ResendAccepted"];
export type Problem = components["schemas"]["Problem"];
export type ProblemCode = Problem["code"];

export interface ResendOptions {
  /** The gateway's address, e.g. "https://resend-gateway.internal" (no trailing path). */
  baseUrl: string;
  /** The tenant's X-Api-Key. */
  apiKey: string;
  /** Front Payment's order id, e.g. "ODR347888404". */
  orderUuid: string;
  body: ResendRequest;
  /**
   * One key per logical resend: pass the same key when the user retries the same resend later,
   * a new one (or none) for a deliberate new resend. Generated when absent.
   */
  idempotencyKey?: string;
  /** Sent as X-Request-Id, e.g. the BFF's own correlation id. */
  requestId?: string;
  /** Bound on all attempts and the waits between them. Default 30 s. */
  totalTimeoutMs?: number;
  /** Bound on one attempt; past it the attempt counts as "no answer". Default 10 s. */
  attemptTimeoutMs?: number;
  /** Default: the global fetch (Node 20+, Next.js, browsers). */
  fetch?: typeof fetch;
}

interface Attempted {
  /** The key every attempt of this resend carried: reuse it to ask again about the same resend. */
  idempotencyKey: string;
  /** How many requests were made. */
  attempts: number;
}

interface Answered extends Attempted {
  status: number;
  /** The gateway's X-Request-Id: quote it when asking about a request. */
  requestId?: string;
  /** The stored answer of an earlier request with the same key: nothing was sent again. */
  replayed: boolean;
}

/** Front Payment accepted the resend. */
export interface Accepted extends Answered {
  code: "ACCEPTED";
  accepted: ResendAccepted;
}

/** A problem answer (RFC 9457), one member per code, so that `switch (outcome.code)` narrows. */
export type Refused = {
  [C in ProblemCode]: Answered & {
    code: C;
    problem: Problem & { code: C };
    /** From Retry-After, when the answer carried one. */
    retryAfterSeconds?: number;
  };
}[ProblemCode];

/**
 * No answer within the time bound (network errors, time-outs). The link may or may not have been
 * sent: asking again with the same idempotencyKey within 24 h is safe and tells.
 */
export interface NoAnswer extends Attempted {
  code: "NO_ANSWER";
  error: unknown;
}

/** An answer that is not the gateway's (e.g. an HTML error page of a proxy in front of it). */
export interface UnexpectedAnswer extends Answered {
  code: "UNEXPECTED_ANSWER";
  body: string;
}

export type ResendOutcome = Accepted | Refused | NoAnswer | UnexpectedAnswer;

const RESEND_PATH = "/v1/orders/{orderUuid}/payment-link/resend";

/**
 * Asks the gateway to send an order's payment link again. Retries, always with the same
 * Idempotency-Key, only what the gateway says is worth retrying: 409 IDEMPOTENCY_KEY_IN_USE and 503
 * with Retry-After (after waiting it), and requests that got no answer. Everything else, 429
 * included, is returned at once. Never throws for an HTTP outcome.
 */
export async function resendPaymentLink(options: ResendOptions): Promise<ResendOutcome> {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const idempotencyKey = options.idempotencyKey ?? globalThis.crypto.randomUUID();
  const deadline = Date.now() + (options.totalTimeoutMs ?? 30_000);
  const url = options.baseUrl.replace(/\/+$/, "") + RESEND_PATH.replace("{orderUuid}", encodeURIComponent(options.orderUuid));
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    Accept: "application/json, application/problem+json",
    "X-Api-Key": options.apiKey,
    "Idempotency-Key": idempotencyKey,
  };
  if (options.requestId !== undefined) {
    headers["X-Request-Id"] = options.requestId;
  }
  const body = JSON.stringify(options.body);

  for (let attempts = 1; ; attempts++) {
    const timeout = Math.max(1, Math.min(options.attemptTimeoutMs ?? 10_000, deadline - Date.now()));
    let outcome: ResendOutcome;
    let waitMs: number;
    try {
      const response = await fetchFn(url, { method: "POST", headers, body, signal: AbortSignal.timeout(timeout) });
      outcome = await read(response, idempotencyKey, attempts);
      if (!isRetryable(outcome)) {
        return outcome;
      }
      waitMs = (outcome.retryAfterSeconds ?? 1) * 1000;
    } catch (error) {
      // no (whole) answer: the request may have arrived, and the same key makes asking again safe
      outcome = { code: "NO_ANSWER", error, idempotencyKey, attempts };
      waitMs = Math.min(250 * 2 ** (attempts - 1), 2_000);
    }
    if (Date.now() + waitMs >= deadline) {
      return outcome;
    }
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}

function isRetryable(outcome: ResendOutcome): outcome is Refused {
  if (outcome.code === "IDEMPOTENCY_KEY_IN_USE") {
    return true;
  }
  return "problem" in outcome && outcome.status === 503 && outcome.retryAfterSeconds !== undefined;
}

async function read(response: Response, idempotencyKey: string, attempts: number): Promise<ResendOutcome> {
  const text = await response.text();
  const answered = {
    status: response.status,
    requestId: response.headers.get("X-Request-Id") ?? undefined,
    replayed: response.headers.get("Idempotent-Replayed") === "true",
    idempotencyKey,
    attempts,
  };
  const type = response.headers.get("Content-Type") ?? "";
  if (response.status === 202 && type.startsWith("application/json")) {
    return { ...answered, code: "ACCEPTED", accepted: JSON.parse(text) as ResendAccepted };
  }
  if (type.startsWith("application/problem+json")) {
    const problem = JSON.parse(text) as Problem;
    return { ...answered, code: problem.code, problem, retryAfterSeconds: retryAfter(response.headers.get("Retry-After")) } as Refused;
  }
  return { ...answered, code: "UNEXPECTED_ANSWER", body: text.slice(0, 2_000) };
}

/** Retry-After in seconds: the gateway sends whole seconds; an HTTP date is read too. */
function retryAfter(header: string | null): number | undefined {
  if (header === null) {
    return undefined;
  }
  if (/^\d+$/.test(header.trim())) {
    return Number(header.trim());
  }
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
