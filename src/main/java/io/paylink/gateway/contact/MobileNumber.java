package io.paylink.gateway.contact;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/** A phone number that can receive an SMS, split the way Front Payment wants it: "+47" and "91234567". */
public record MobileNumber(String countryCode, String msisdn) {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    /**
     * Premium-rate, toll-free and fixed-line numbers cannot receive a payment link, and sending to
     * premium-rate numbers is how SMS-pumping fraud makes money.
     */
    private static final Set<PhoneNumberType> SMS_CAPABLE = EnumSet.of(PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE);
    private static final int MAX_INPUT_LENGTH = 40;

    /** Any common international writing: "+47 912 34 567", "+47-912-34-567", "0047 91234567", "(+47) 91234567". */
    public static Optional<MobileNumber> parse(String written) {
        if (written == null || written.length() > MAX_INPUT_LENGTH) {
            return Optional.empty();
        }
        String trimmed = written.strip();
        // "00" is the international prefix in most of the world; libphonenumber needs a region to know that
        String international = trimmed.startsWith("00") ? "+" + trimmed.substring(2) : trimmed;
        if (!international.startsWith("+") && !international.startsWith("(+")) {
            return Optional.empty(); // without a country we would have to guess one, and guessing sends SMS abroad
        }
        try {
            PhoneNumber number = PHONES.parse(international, "ZZ");
            if (!PHONES.isValidNumber(number) || !SMS_CAPABLE.contains(PHONES.getNumberType(number))) {
                return Optional.empty();
            }
            return Optional.of(new MobileNumber("+" + number.getCountryCode(), PHONES.getNationalSignificantNumber(number)));
        } catch (NumberParseException notANumber) {
            return Optional.empty();
        }
    }

    /** Front Payment's own shape: a country code ("+47" or "47") and the national number. */
    public static Optional<MobileNumber> of(String countryCode, String msisdn) {
        if (countryCode == null || msisdn == null || !countryCode.strip().matches("\\+?[0-9]{1,3}")) {
            return Optional.empty();
        }
        String digits = countryCode.strip();
        return parse((digits.startsWith("+") ? digits : "+" + digits) + " " + msisdn);
    }

    /** ISO 3166 countries libphonenumber knows: the codes a tenant's SMS countries may name. */
    public static Set<String> countries() {
        return PHONES.getSupportedRegions();
    }

    /**
     * The number's ISO 3166 country, from its number plan rather than its calling code alone: +1 is
     * shared by the US, Canada and Caribbean countries, +7 by Russia and Kazakhstan.
     */
    public String country() {
        try {
            return PHONES.getRegionCodeForNumber(PHONES.parse(e164(), "ZZ"));
        } catch (NumberParseException cannotHappen) {
            return "ZZ"; // parse() made it from a valid number; and an unknown country is allowed nowhere
        }
    }

    public String e164() {
        return countryCode + msisdn;
    }

    /** "+47******67": enough to tell numbers apart in a log, not enough to call one. */
    public String masked() {
        int visible = Math.min(2, msisdn.length());
        return countryCode + "*".repeat(msisdn.length() - visible) + msisdn.substring(msisdn.length() - visible);
    }

    @Override
    public String toString() {
        return masked();
    }
}
