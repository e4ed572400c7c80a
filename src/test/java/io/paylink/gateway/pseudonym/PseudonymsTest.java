package io.paylink.gateway.pseudonym;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.paylink.gateway.GatewayConfig;
import io.paylink.gateway.support.StoredPseudonyms;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The keyed hash itself and the start check of its secrets; what reaches the store is checked through HTTP (store.KeyedHashes*Test). */
class PseudonymsTest {

    private static final String SECRET = "a-secret-of-forty-one-bytes-for-this-test";
    private static final String OLD_SECRET = "the-secret-before-the-rotation-of-this-test";

    private static Pseudonyms pseudonyms(Map<String, String> properties) {
        return new Pseudonyms(new SmallRyeConfigBuilder().withMapping(GatewayConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100)).build().getConfigMapping(GatewayConfig.class));
    }

    @Test
    void aValueIsNamedByItsHmacUnderTheSecretAndDuringARotationAlsoUnderThePreviousOne() {
        Pseudonym alone = pseudonyms(Map.of("gateway.hash-secret", SECRET)).of("+4791234567");
        assertEquals(StoredPseudonyms.hmac(SECRET, "+4791234567"), alone.current());
        assertNull(alone.previous());
        assertEquals(List.of(alone.current()), alone.all());

        Pseudonym rotating = pseudonyms(Map.of("gateway.hash-secret", SECRET, "gateway.hash-secret-previous", OLD_SECRET)).of("+4791234567");
        String underOld = StoredPseudonyms.hmac(OLD_SECRET, "+4791234567");
        assertEquals(List.of(alone.current(), underOld), rotating.all());
        // an instance with only the old secret, an instance with both, one with only the new: each pair agrees
        Pseudonym oldOnly = pseudonyms(Map.of("gateway.hash-secret", OLD_SECRET)).of("+4791234567");
        assertTrue(rotating.sameValueAs(oldOnly.current(), oldOnly.previous()));
        assertTrue(oldOnly.sameValueAs(rotating.current(), rotating.previous()));
        assertTrue(alone.sameValueAs(rotating.current(), rotating.previous()));
        assertFalse(rotating.sameValueAs(StoredPseudonyms.hmac(SECRET, "+4791234568"), null));
        assertFalse(rotating.sameValueAs(StoredPseudonyms.sha256("+4791234567"), null));
    }

    @Test
    void aMissingWeakOrUnrotatedSecretIsOneLineNamingItsVariableNeverTheValue() {
        assertOneLine(Pseudonyms.problems(Optional.empty(), Optional.empty()), "GATEWAY_HASH_SECRET (gateway.hash-secret) is not set");
        assertOneLine(Pseudonyms.problems(Optional.of(""), Optional.empty()), "GATEWAY_HASH_SECRET (gateway.hash-secret) is not set");
        String short31 = "0123456789abcdef0123456789abcde";
        assertOneLine(Pseudonyms.problems(Optional.of(short31), Optional.empty()), "GATEWAY_HASH_SECRET (gateway.hash-secret) is too weak", short31);
        String repeated = "abab".repeat(16);
        assertOneLine(Pseudonyms.problems(Optional.of(repeated), Optional.empty()), "GATEWAY_HASH_SECRET (gateway.hash-secret) is too weak", repeated);
        assertOneLine(Pseudonyms.problems(Optional.of(SECRET), Optional.of(short31)),
                "GATEWAY_HASH_SECRET_PREVIOUS (gateway.hash-secret-previous) is too weak", short31);
        assertOneLine(Pseudonyms.problems(Optional.of(SECRET), Optional.of(SECRET)),
                "GATEWAY_HASH_SECRET_PREVIOUS (gateway.hash-secret-previous) is the same as GATEWAY_HASH_SECRET", SECRET);

        assertEquals(List.of(), Pseudonyms.problems(Optional.of(SECRET), Optional.empty()));
        assertEquals(List.of(), Pseudonyms.problems(Optional.of(SECRET), Optional.of(OLD_SECRET)));
        // 32 bytes of UTF-8 is enough, whatever the number of characters
        assertEquals(List.of(), Pseudonyms.problems(Optional.of("æøåÆØÅ-0123456789-abcdefgh"), Optional.empty()));
    }

    private static void assertOneLine(List<String> problems, String text, String... neverShown) {
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith(text), problems.get(0));
        assertFalse(problems.get(0).contains("\n"), problems.get(0));
        for (String value : neverShown) {
            assertFalse(problems.get(0).contains(value), problems.get(0));
        }
    }
}
