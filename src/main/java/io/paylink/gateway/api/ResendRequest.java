package io.paylink.gateway.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.paylink.gateway.contact.EmailAddress;
import io.paylink.gateway.contact.MobileNumber;

/**
 * The caller's body: a phone number written any common way, or Front Payment's own
 * {@code countryCode} + {@code msisdn}; and/or an e-mail. {@link ValidResendRequest} holds the rules.
 */
@ValidResendRequest
@JsonIgnoreProperties(ignoreUnknown = false)
public record ResendRequest(String phone, String countryCode, String msisdn, String email) {

    boolean hasPhone() {
        return phone != null;
    }

    boolean hasSplitNumber() {
        return countryCode != null || msisdn != null;
    }

    Optional<MobileNumber> mobileNumber() {
        return hasPhone() ? MobileNumber.parse(phone) : MobileNumber.of(countryCode, msisdn);
    }

    Optional<EmailAddress> emailAddress() {
        return EmailAddress.parse(email);
    }

    static List<String> channels(Optional<MobileNumber> phone, Optional<EmailAddress> email) {
        List<String> channels = new ArrayList<>(2);
        phone.ifPresent(p -> channels.add("SMS"));
        email.ifPresent(e -> channels.add("EMAIL"));
        return channels;
    }
}
