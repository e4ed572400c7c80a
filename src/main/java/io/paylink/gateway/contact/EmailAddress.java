package io.paylink.gateway.contact;

import java.util.Locale;
import java.util.Optional;

import org.apache.commons.validator.routines.EmailValidator;

/** A deliverable-looking e-mail address: RFC syntax, a real top-level domain, at most 254 characters. */
public record EmailAddress(String value) {

    public static final int MAX_LENGTH = 254;
    // no local addresses ("root@localhost") and no TLD-less domains: a payment link must leave the building
    private static final EmailValidator VALIDATOR = EmailValidator.getInstance(false, false);

    public static Optional<EmailAddress> parse(String written) {
        if (written == null) {
            return Optional.empty();
        }
        String trimmed = written.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_LENGTH || !VALIDATOR.isValid(trimmed)) {
            return Optional.empty();
        }
        return Optional.of(new EmailAddress(trimmed));
    }

    /** The same mailbox however it was capitalised; the key for per-destination limits. */
    public String normalized() {
        return value.toLowerCase(Locale.ROOT);
    }

    /** "k***@example.no". */
    public String masked() {
        int at = value.lastIndexOf('@');
        return value.charAt(0) + "***" + value.substring(at);
    }

    @Override
    public String toString() {
        return masked();
    }
}
