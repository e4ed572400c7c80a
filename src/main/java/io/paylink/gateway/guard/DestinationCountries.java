package io.paylink.gateway.guard;

import java.util.List;
import java.util.Optional;

import io.paylink.gateway.contact.MobileNumber;
import io.paylink.gateway.outcome.Outcome;
import io.paylink.gateway.problem.ProblemCode;
import io.paylink.gateway.problem.Violation;

/**
 * A tenant's SMS countries (what SMS providers call geo permissions): SMS pumping earns its money
 * from premium-rate ranges in a few countries, so an SMS to a country the tenant does not serve is
 * refused before anything is counted or sent.
 */
final class DestinationCountries {

    private DestinationCountries() {
    }

    /** The 422 for an SMS to a country the tenant does not allow; empty when it may go (or there is no SMS). */
    static Optional<Outcome> refuse(Resend resend) {
        if (resend.phone().isEmpty()) {
            return Optional.empty();
        }
        MobileNumber phone = resend.phone().get();
        String country = phone.country();
        if (resend.tenant().rules().allowsSmsTo(country)) {
            return Optional.empty();
        }
        return Optional.of(new Outcome.Rejected(new Outcome.Answer(ProblemCode.DESTINATION_NOT_ALLOWED,
                "This tenant does not send SMS to " + country + "; nothing was sent",
                List.of(new Violation(resend.phoneField(), phone.masked() + " is a number in " + country
                        + ", not one of this tenant's SMS countries (" + String.join(",", resend.tenant().rules().smsCountries()) + ")")),
                null)));
    }
}
