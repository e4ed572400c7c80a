package io.paylink.gateway.store;

import static io.paylink.gateway.support.StoredPseudonyms.assertKeyedOnly;
import static io.paylink.gateway.support.StoredPseudonyms.configuredSecret;
import static io.paylink.gateway.support.StoredPseudonyms.resendToContacts;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A plain SHA-256 of a Norwegian mobile number is reversed by hashing the ten million possible
 * ones: what the memory store holds (a heap dump of it) names contacts and requests only by their
 * HMAC under the hash secret.
 */
@QuarkusTest
@QuarkusTestResource(WireMockFrontPayment.class)
class KeyedHashesInMemoryStoreTest {

    @InjectWireMock
    WireMockServer frontPayment;

    @Inject
    StateStore store;

    @Test
    void contactsAndFingerprintsAreStoredAsHmacsOnly() {
        List<String> values = resendToContacts(frontPayment);

        List<String> stored = ((MemoryStateStore) store).contents("acme").entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue()).toList();
        assertKeyedOnly(stored, configuredSecret(), values);
    }
}
