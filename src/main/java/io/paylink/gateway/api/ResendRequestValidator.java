package io.paylink.gateway.api;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

import io.paylink.gateway.contact.EmailAddress;

/**
 * At least one channel; a phone number either written whole ({@code phone}) or split
 * ({@code countryCode} + {@code msisdn}), never both; every given contact must be usable.
 */
public class ResendRequestValidator implements ConstraintValidator<ValidResendRequest, ResendRequest> {

    @Override
    public boolean isValid(ResendRequest request, ConstraintValidatorContext context) {
        if (request == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        boolean valid = true;
        if (!request.hasPhone() && !request.hasSplitNumber() && request.email() == null) {
            return violation(context, null, "give at least one channel: phone, countryCode with msisdn, or email");
        }
        if (request.hasPhone() && request.hasSplitNumber()) {
            return violation(context, "phone", "give either phone or countryCode with msisdn, not both");
        }
        if (request.hasPhone() && request.mobileNumber().isEmpty()) {
            valid = violation(context, "phone",
                    "must be a mobile number in international format, e.g. +47 912 34 567");
        }
        if (request.hasSplitNumber()) {
            if (request.countryCode() == null) {
                valid = violation(context, "countryCode", "is required with msisdn, e.g. \"+47\"");
            } else if (request.msisdn() == null) {
                valid = violation(context, "msisdn", "is required with countryCode");
            } else if (request.mobileNumber().isEmpty()) {
                valid = violation(context, "msisdn", "with countryCode must form a valid mobile number");
            }
        }
        if (request.email() != null && request.emailAddress().isEmpty()) {
            valid = violation(context, "email",
                    "must be a valid e-mail address of at most " + EmailAddress.MAX_LENGTH + " characters");
        }
        return valid;
    }

    private static boolean violation(ConstraintValidatorContext context, String field, String message) {
        var builder = context.buildConstraintViolationWithTemplate(message.replace("{", "\\{"));
        if (field == null) {
            builder.addConstraintViolation();
        } else {
            builder.addPropertyNode(field).addConstraintViolation();
        }
        return false;
    }
}
