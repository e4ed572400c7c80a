package io.paylink.gateway.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.paylink.gateway.contact.EmailAddress;
import io.paylink.gateway.contact.MobileNumber;

/**
 * The caller's body: a phone number written any common way, or Front Payment's own
 * {@code countryCode} + {@code msisdn}; and/or an e-mail. {@link ValidResendRequest} holds the rules.
 * Contacts are parsed once, by whichever of the validator and the resource asks first.
 */
@ValidResendRequest
// additionalProperties false: an unknown member is 400 MALFORMED_REQUEST (strict JSON, see StrictJson)
@Schema(description = "At least one channel: phone (or countryCode with msisdn) for SMS, and/or email. Members not listed "
        + "here are refused with 400 MALFORMED_REQUEST.", additionalProperties = Schema.False.class)
public final class ResendRequest {

    @Schema(description = "International mobile number in any common writing: spaces, dashes, 00 prefix", examples = "+47 912 34 567")
    private final String phone;
    @Schema(description = "Front Payment's own shape, with msisdn; instead of phone", examples = "+47")
    private final String countryCode;
    @Schema(description = "National number, with countryCode", examples = "91234567")
    private final String msisdn;
    @Schema(description = "E-mail address, at most 254 characters", examples = "kari@example.no")
    private final String email;

    // parsed forms, not members of the body: the OpenAPI document must offer only what the API accepts
    @Schema(hidden = true)
    private Optional<MobileNumber> mobileNumber;
    @Schema(hidden = true)
    private Optional<EmailAddress> emailAddress;

    @JsonCreator
    public ResendRequest(@JsonProperty("phone") String phone, @JsonProperty("countryCode") String countryCode,
            @JsonProperty("msisdn") String msisdn, @JsonProperty("email") String email) {
        this.phone = phone;
        this.countryCode = countryCode;
        this.msisdn = msisdn;
        this.email = email;
    }

    public String phone() {
        return phone;
    }

    public String countryCode() {
        return countryCode;
    }

    public String msisdn() {
        return msisdn;
    }

    public String email() {
        return email;
    }

    boolean hasPhone() {
        return phone != null;
    }

    boolean hasSplitNumber() {
        return countryCode != null || msisdn != null;
    }

    Optional<MobileNumber> mobileNumber() {
        if (mobileNumber == null) {
            mobileNumber = hasPhone() ? MobileNumber.parse(phone) : MobileNumber.of(countryCode, msisdn);
        }
        return mobileNumber;
    }

    Optional<EmailAddress> emailAddress() {
        if (emailAddress == null) {
            emailAddress = EmailAddress.parse(email);
        }
        return emailAddress;
    }

    static List<String> channels(Optional<MobileNumber> phone, Optional<EmailAddress> email) {
        List<String> channels = new ArrayList<>(2);
        phone.ifPresent(p -> channels.add("SMS"));
        email.ifPresent(e -> channels.add("EMAIL"));
        return channels;
    }
}
