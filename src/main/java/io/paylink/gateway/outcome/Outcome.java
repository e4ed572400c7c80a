package io.paylink.gateway.outcome;

import java.time.Duration;
import java.util.List;

import io.paylink.gateway.problem.ProblemCode;
import io.paylink.gateway.problem.Violation;

/**
 * What happened to one resend, decided once and read everywhere else: the caller's answer, whether
 * an Idempotency-Key keeps it, whether it counts against the resend limits, the metric outcome and
 * the log line. The rule that matters for customers' phones is {@link #mayHaveReachedFrontPayment()}:
 * an outcome that may have sent a message is stored against its key and counted, so that no retry
 * with that key can send a second one; an outcome that provably sent nothing is neither.
 */
public sealed interface Outcome {

    Answer answer();

    /** Whether Front Payment may have received the request, so a message may have gone out. */
    boolean mayHaveReachedFrontPayment();

    /** The HTTP status Front Payment answered with, 0 when none was read. */
    default int upstreamStatus() {
        return 0;
    }

    /** Label of {@code gateway_requests_total} and the log line: ACCEPTED or the problem code. */
    default String code() {
        return answer().code() == null ? "ACCEPTED" : answer().code().name();
    }

    /** A bug of ours around the call: whether the call was made is unknown, so it is treated as made. */
    static Outcome unexpected() {
        return new Ambiguous(Answer.problem(ProblemCode.INTERNAL_ERROR,
                "The gateway failed unexpectedly; the link may or may not have been sent"), 0);
    }

    /** Turned away by the gateway before any call: validation, resend limits, a key in use or reused. */
    record Rejected(Answer answer) implements Outcome {
        @Override
        public boolean mayHaveReachedFrontPayment() {
            return false;
        }
    }

    /**
     * Provably never processed by Front Payment: no connection was made, the breaker was open, the
     * bulkhead full, the state store unavailable, or Front Payment refused the call itself (401/403/429).
     */
    record NotSent(Answer answer, int upstreamStatus) implements Outcome {
        @Override
        public boolean mayHaveReachedFrontPayment() {
            return false;
        }
    }

    /** Front Payment's own final word: its 2xx, or a business 4xx (not found, paid, cancelled, invalid payload). */
    record Answered(Answer answer, int upstreamStatus) implements Outcome {
        @Override
        public boolean mayHaveReachedFrontPayment() {
            return true;
        }
    }

    /**
     * The request may well have reached Front Payment, but its answer is unknown or unusable: a
     * time-out, a reset, a broken answer, a 5xx. The link may or may not have been sent.
     */
    record Ambiguous(Answer answer, int upstreamStatus) implements Outcome {
        @Override
        public boolean mayHaveReachedFrontPayment() {
            return true;
        }
    }

    /** The stored answer of an earlier request with the same Idempotency-Key; nothing was called again. */
    record Replayed(Answer answer) implements Outcome {
        @Override
        public boolean mayHaveReachedFrontPayment() {
            return false;
        }
    }

    /** The caller's answer: 202 when {@code code} is null, otherwise that problem. */
    record Answer(ProblemCode code, String detail, List<Violation> violations, Duration retryAfter) {

        public static final Answer ACCEPTED = new Answer(null, null, List.of(), null);

        public Answer {
            violations = violations == null ? List.of() : List.copyOf(violations);
        }

        public static Answer problem(ProblemCode code, String detail) {
            return new Answer(code, detail, List.of(), null);
        }

        public static Answer problem(ProblemCode code, String detail, Duration retryAfter) {
            return new Answer(code, detail, List.of(), retryAfter);
        }

        public int status() {
            return code == null ? 202 : code.status();
        }
    }
}
