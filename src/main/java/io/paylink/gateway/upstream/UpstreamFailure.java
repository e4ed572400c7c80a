package io.paylink.gateway.upstream;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

import io.paylink.gateway.outcome.Outcome;
import io.paylink.gateway.problem.ProblemCode;
import io.paylink.gateway.problem.ProblemException;
import io.paylink.gateway.problem.Violation;

/**
 * Every way a call to Front Payment can end other than "link resent", and what it means for the
 * resend ({@link #outcome()}): Front Payment's own business answer, proof that nothing was sent,
 * or an ambiguous end after which the link may or may not have gone out. Failures travel as
 * exceptions through the fault-tolerance guards (the breaker and retry count them) and become an
 * {@link Outcome} after them.
 */
public abstract sealed class UpstreamFailure extends ProblemException {

    /** Answers without a usable Retry-After still tell callers when to come back. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(30);
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    private enum Kind {
        ANSWERED,
        NOT_SENT,
        AMBIGUOUS
    }

    private final Kind kind;
    private final int upstreamStatus;

    private UpstreamFailure(Kind kind, ProblemCode code, int upstreamStatus, String detail, List<Violation> violations,
            Duration retryAfter) {
        super(code, detail, violations, retryAfter);
        this.kind = kind;
        this.upstreamStatus = upstreamStatus;
    }

    /** The HTTP status Front Payment answered with, or 0 when no answer was read. */
    public int upstreamStatus() {
        return upstreamStatus;
    }

    public Outcome outcome() {
        Outcome.Answer answer = new Outcome.Answer(code(), getMessage(), violations(), retryAfter().orElse(null));
        return switch (kind) {
            case ANSWERED -> new Outcome.Answered(answer, upstreamStatus);
            case NOT_SENT -> new Outcome.NotSent(answer, upstreamStatus);
            case AMBIGUOUS -> new Outcome.Ambiguous(answer, upstreamStatus);
        };
    }

    /** Maps by HTTP status first, as the provider's {@code message} and flags are inconsistent. */
    static UpstreamFailure of(int status, String body, String retryAfter) {
        Envelope envelope = read(body);
        if (status == 401 || status == 403) {
            return new UpstreamAuthFailed(status);
        }
        if (status == 429) {
            return new UpstreamRateLimited(parseRetryAfter(retryAfter));
        }
        if (envelope == null) {
            // a business status without a readable envelope is more likely a proxy or a wrong URL
            return new UpstreamError(status, "Front Payment answered " + status + " with a body that is not its JSON envelope");
        }
        return switch (status) {
            case 404 -> new OrderNotFound();
            case 400, 409 -> switch (envelope.normalizedMessage()) {
                case "orderstatusalreadypaid" -> new OrderAlreadyPaid(status);
                case "orderstatusalreadycancelled" -> new OrderCancelled(status);
                default -> new OrderConflict(status);
            };
            case 417, 422 -> new UpstreamValidation(status, envelope.violations());
            default -> new UpstreamError(status, "Front Payment answered " + status);
        };
    }

    /** The body of a 2xx answer: readable envelope or an upstream error, never a crash. */
    static Envelope readSuccess(int status, Envelope envelope) {
        if (envelope == null) {
            throw new UpstreamError(status, "Front Payment answered " + status + " without its JSON envelope");
        }
        return envelope;
    }

    private static Envelope read(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return Envelope.JSON.readValue(body, Envelope.class);
        } catch (Exception notAnEnvelope) { // HTML, truncated JSON, a JSON array, ...
            return null;
        }
    }

    static Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_RETRY_AFTER;
        }
        Duration parsed;
        try {
            parsed = Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException notSeconds) {
            try {
                parsed = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (DateTimeParseException notADate) {
                return DEFAULT_RETRY_AFTER;
            }
        }
        if (parsed.compareTo(Duration.ofSeconds(1)) < 0) {
            return Duration.ofSeconds(1);
        }
        return parsed.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : parsed;
    }

    public static final class OrderNotFound extends UpstreamFailure {
        OrderNotFound() {
            super(Kind.ANSWERED, ProblemCode.ORDER_NOT_FOUND, 404, "Front Payment has no order with this id for this merchant", List.of(), null);
        }
    }

    public static final class OrderAlreadyPaid extends UpstreamFailure {
        OrderAlreadyPaid(int status) {
            super(Kind.ANSWERED, ProblemCode.ORDER_ALREADY_PAID, status, "The order is already paid; no payment link was sent", List.of(), null);
        }
    }

    public static final class OrderCancelled extends UpstreamFailure {
        OrderCancelled(int status) {
            super(Kind.ANSWERED, ProblemCode.ORDER_CANCELLED, status, "The order is cancelled; no payment link was sent", List.of(), null);
        }
    }

    public static final class OrderConflict extends UpstreamFailure {
        OrderConflict(int status) {
            super(Kind.ANSWERED, ProblemCode.ORDER_CONFLICT, status, "Front Payment refused to resend the link in the order's current state", List.of(), null);
        }
    }

    public static final class UpstreamValidation extends UpstreamFailure {
        UpstreamValidation(int status, List<Violation> violations) {
            super(Kind.ANSWERED, ProblemCode.VALIDATION_FAILED, status, "Front Payment rejected the request's contact details", violations, null);
        }
    }

    public static final class UpstreamAuthFailed extends UpstreamFailure {
        UpstreamAuthFailed(int status) {
            super(Kind.NOT_SENT, ProblemCode.UPSTREAM_AUTH_FAILED, status, "Front Payment rejected this tenant's credentials; the gateway's configuration must be fixed", List.of(), null);
        }
    }

    public static final class UpstreamRateLimited extends UpstreamFailure {
        UpstreamRateLimited(Duration retryAfter) {
            super(Kind.NOT_SENT, ProblemCode.UPSTREAM_RATE_LIMITED, 429, "Front Payment is rate limiting this merchant; try again later", List.of(), retryAfter);
        }
    }

    /** Front Payment failed or answered something unreadable, after the request may have reached it. */
    public static final class UpstreamError extends UpstreamFailure {
        public UpstreamError(int status, String detail) {
            super(Kind.AMBIGUOUS, ProblemCode.UPSTREAM_ERROR, status, detail + "; the link may or may not have been sent",
                    List.of(), null);
        }
    }

    /**
     * The connection was never made (refused, connect time-out, unknown host, failed TLS handshake): the request provably
     * did not reach Front Payment, which is the only case that may be retried.
     */
    public static final class UpstreamUnreachable extends UpstreamFailure {
        public UpstreamUnreachable() {
            super(Kind.NOT_SENT, ProblemCode.UPSTREAM_ERROR, 0, "Front Payment could not be reached; nothing was sent", List.of(), null);
        }
    }

    /** No answer in time. The request may have been processed: the caller cannot know whether the link went out. */
    public static final class UpstreamTimeout extends UpstreamFailure {
        public UpstreamTimeout(Duration timeout) {
            super(Kind.AMBIGUOUS, ProblemCode.UPSTREAM_TIMEOUT, 0, "Front Payment did not answer within " + timeout.toMillis()
                    + " ms; the link may or may not have been sent", List.of(), null);
        }
    }
}
