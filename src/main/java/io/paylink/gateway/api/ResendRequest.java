package io.paylink.gateway.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.paylink.gateway.contact.EmailAddress;
import io.paylink.gateway.contact.MobileNumber;

/**
 * The caller's body: a phone number written any common way, or Front Payment's own
 * {@code countryCode} + {@code msisdn}; and/or an e-mail. {@link ValidResendRequest} holds the rules.
 */
@ValidResendRequest
@JsonIgnoreProperties(ignoreUnknown = false)
@Schema(description = "At least one channel: phone (or countryCode with msisdn) for SMS, and/or email")
public record ResendRequest(
        @Schema(description = "International mobile number in any common writing: spaces, dashes, 00 prefix",
                examples = "+47 912 34 567") String phone,
        @Schema(description = "Front Payment's own shape, with msisdn; instead of phone", examples = "+47") String countryCode,
        @Schema(description = "National number, with countryCode", examples = "91234567") String msisdn,
        @Schema(description = "E-mail address, at most 254 characters", examples = "kari@example.no") String email) {

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
