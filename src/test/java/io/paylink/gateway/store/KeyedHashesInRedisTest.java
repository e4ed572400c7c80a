package io.paylink.gateway.store;

import static io.paylink.gateway.support.StoredPseudonyms.assertKeyedOnly;
import static io.paylink.gateway.support.StoredPseudonyms.configuredSecret;
import static io.paylink.gateway.support.StoredPseudonyms.resendToContacts;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.InjectRedisUrl;
import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.PatientRedisStoreProfile;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;

/** Redis is read by whoever operates it, and its dumps are copied around: only HMACs of contacts and requests are in it. */
@QuarkusTest
@TestProfile(PatientRedisStoreProfile.class)
@QuarkusTestResource(WireMockFrontPayment.class)
class KeyedHashesInRedisTest {

    @InjectWireMock
    WireMockServer frontPayment;

    @InjectRedisUrl
    String redisUrl;

    @Inject
    Vertx vertx;

    @Test
    void contactsAndFingerprintsAreStoredAsHmacsOnly() {
        List<String> values = resendToContacts(frontPayment);

        assertKeyedOnly(everyKeyAndValue(), configuredSecret(), values);
    }

    /** Every key in Redis with its value: a string's text, or a sorted set's members. */
    private List<String> everyKeyAndValue() {
        Redis client = Redis.createClient(vertx, redisUrl);
        try {
            RedisAPI redis = RedisAPI.api(client);
            List<String> stored = new ArrayList<>();
            for (Response key : redis.keys("*").await().indefinitely()) {
                String type = redis.type(key.toString()).await().indefinitely().toString();
                Response value = switch (type) {
                    case "string" -> redis.get(key.toString()).await().indefinitely();
                    case "zset" -> redis.zrange(List.of(key.toString(), "0", "-1")).await().indefinitely();
                    default -> throw new AssertionError("a " + type + " in Redis: " + key);
                };
                stored.add(key + "=" + value);
            }
            return stored;
        } finally {
            client.close();
        }
    }
}
