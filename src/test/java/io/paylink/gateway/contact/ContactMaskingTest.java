package io.paylink.gateway.contact;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ContactMaskingTest {

    @Test
    void phoneKeepsCountryCodeAndLastTwoDigits() {
        MobileNumber number = MobileNumber.parse("+47 912 34 567").orElseThrow();
        assertEquals("+47******67", number.masked());
        assertEquals("+47******67", number.toString());
        assertEquals("+4791234567", number.e164());
    }

    @Test
    void emailKeepsFirstLetterAndDomain() {
        EmailAddress email = EmailAddress.parse("Kari@Example.no").orElseThrow();
        assertEquals("K***@Example.no", email.masked());
        assertEquals("kari@example.no", email.normalized());
    }
}
