package io.paylink.gateway.problem;

import java.util.Locale;

/**
 * The gateway's error table: every {@code code} a caller can see, with its HTTP status and title.
 * docs/api.md and the OpenAPI document list the same rows.
 */
public enum ProblemCode {
    UNAUTHENTICATED(401, "Missing or unknown API key"),
    INVALID_ORDER_UUID(400, "Invalid order id"),
    MALFORMED_REQUEST(400, "Malformed request"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    VALIDATION_FAILED(422, "Validation failed"),
    ORDER_NOT_FOUND(404, "Order not found"),
    ORDER_ALREADY_PAID(409, "Order already paid"),
    ORDER_CANCELLED(409, "Order cancelled"),
    ORDER_CONFLICT(409, "Order state does not allow a resend"),
    UPSTREAM_AUTH_FAILED(502, "Front Payment rejected the gateway's credentials"),
    UPSTREAM_RATE_LIMITED(503, "Front Payment is rate limiting", true),
    UPSTREAM_ERROR(502, "Front Payment failed"),
    UPSTREAM_TIMEOUT(504, "Front Payment did not answer in time"),
    UPSTREAM_OUTCOME_UNKNOWN(502, "Outcome of an earlier call unknown"),
    UPSTREAM_UNAVAILABLE(503, "Front Payment is unavailable", true),
    OVERLOADED(503, "Too many concurrent requests", true),
    RESEND_RATE_LIMITED(429, "Resend limit reached", true),
    DESTINATION_NOT_ALLOWED(422, "SMS destination country not allowed"),
    TENANT_BUDGET_EXHAUSTED(429, "Tenant's message budget spent", true),
    STORE_UNAVAILABLE(503, "Idempotency and limit store unavailable", true),
    STORE_FULL(503, "This tenant's share of the idempotency and limit store is full", true),
    IDEMPOTENCY_KEY_MISMATCH(422, "Idempotency key reused with a different request"),
    IDEMPOTENCY_KEY_IN_USE(409, "Idempotency key in use", true),
    NOT_FOUND(404, "Not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable"),
    INTERNAL_ERROR(500, "Internal error");

    private final int status;
    private final String title;
    private final String type;
    private final boolean retryAfter;

    ProblemCode(int status, String title) {
        this(status, title, false);
    }

    /** {@code retryAfter}: the answer carries a Retry-After header. */
    ProblemCode(int status, String title, boolean retryAfter) {
        this.status = status;
        this.title = title;
        this.retryAfter = retryAfter;
        this.type = "urn:problem-type:resend-gateway:" + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String type() {
        return type;
    }

    public boolean hasRetryAfter() {
        return retryAfter;
    }
}
