package io.paylink.gateway.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.eclipse.microprofile.config.ConfigProvider;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * What the store must hold in place of a contact or a request's fingerprint, computed here on its
 * own: HMAC-SHA256 under the configured {@code gateway.hash-secret}, never a plain SHA-256.
 */
public final class StoredPseudonyms {

    private StoredPseudonyms() {
    }

    /** The running test application's secret (application.properties' %test value, or the profile's). */
    public static String configuredSecret() {
        return ConfigProvider.getConfig().getValue("gateway.hash-secret", String.class);
    }

    public static String hmac(String secret, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(String value) {
        return TenantsFileProfile.sha256Hex(value);
    }

    /** What the gateway fingerprints: the order and the parsed contacts, absent ones as "null". */
    public static String fingerprintOf(String order, String countryCode, String msisdn, String email) {
        return order + "\n" + countryCode + "\n" + msisdn + "\n" + email;
    }

    /**
     * Resends to a phone number and an e-mail with an Idempotency-Key (and its replay), and to another
     * e-mail without one, as tenant acme; returns the values the store now holds in some form: the
     * destinations and the fingerprint's input.
     */
    public static List<String> resendToContacts(WireMockServer frontPayment) {
        frontPayment.resetAll();
        FrontPaymentStubs.answer(frontPayment, FrontPaymentStubs.json(202, FrontPaymentStubs.ACCEPTED));
        String order = Gateway.freshOrder();
        String email = "kari.nordmann" + UUID.randomUUID() + "@example.no";
        String otherEmail = "ola" + UUID.randomUUID() + "@example.no";
        String key = UUID.randomUUID().toString();
        String body = "{\"phone\":\"+47 912 34 567\",\"email\":\"" + email + "\"}";
        for (String replayed : new String[] { null, "true" }) {
            Gateway.as(Gateway.ACME_KEY).header("Idempotency-Key", key).body(body).post(Gateway.resendPath(order)).then()
                    .statusCode(202).header("Idempotent-Replayed", replayed);
        }
        Gateway.resend(Gateway.ACME_KEY, Gateway.freshOrder(), "{\"email\":\"" + otherEmail + "\"}").statusCode(202);
        frontPayment.verify(2, FrontPaymentStubs.anyResend());
        return List.of("+4791234567", email, otherEmail, fingerprintOf(order, "+47", "91234567", email));
    }

    /**
     * {@code stored}: every key and value in the store. Each value (an E.164 number, a lower-case
     * e-mail, a fingerprint's input) is there as its HMAC under {@code secret}, and nowhere in clear
     * or as a plain SHA-256.
     */
    public static void assertKeyedOnly(Collection<String> stored, String secret, Collection<String> values) {
        assertFalse(stored.isEmpty(), "nothing stored");
        for (String value : values) {
            String keyed = hmac(secret, value);
            String plain = sha256(value);
            assertTrue(stored.stream().anyMatch(entry -> entry.contains(keyed)), () -> "HMAC of " + value.replace('\n', '|')
                    + " not stored: " + stored);
            for (String entry : stored) {
                assertFalse(entry.contains(plain), () -> "plain SHA-256 of " + value.replace('\n', '|') + " stored: " + entry);
                assertFalse(entry.contains(value), () -> "stored in clear: " + entry);
            }
        }
    }
}
