package io.paylink.gateway.problem;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A failure that becomes exactly one problem answer. Its message is the problem's {@code detail}
 * and is shown to callers, so it must never carry a token, a key or a full contact.
 */
public class ProblemException extends RuntimeException {

    private final ProblemCode code;
    private final List<Violation> violations;
    private final Duration retryAfter;

    public ProblemException(ProblemCode code, String detail) {
        this(code, detail, List.of(), null);
    }

    public ProblemException(ProblemCode code, String detail, List<Violation> violations, Duration retryAfter) {
        super(detail, null, false, false); // no stack trace: these are answers, not bugs
        this.code = code;
        this.violations = List.copyOf(violations);
        this.retryAfter = retryAfter;
    }

    public ProblemCode code() {
        return code;
    }

    public List<Violation> violations() {
        return violations;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
