package io.paylink.gateway.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.paylink.gateway.GatewayConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Tenants come from configuration alone (environment variables included) and bad ones stop the start. */
class TenantConfigurationTest {

    private static final String ACME_HASH = "ebfbfd0414bb0cb52b149c7596a65b6892c759178bdc540e50a3c9b3575775e3";
    private static final String GLOBEX_HASH = "66eef17e33f06dca73e911abdae4e5300300dad7d4efd19188181c43240959c9";

    private static SmallRyeConfigBuilder builder() {
        return new SmallRyeConfigBuilder()
                .withMapping(GatewayConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withConverter(MemorySize.class, 100, new MemorySizeConverter());
    }

    private static TenantRegistry fromProperties(Map<String, String> properties) {
        SmallRyeConfig config = builder().withSources(new PropertiesConfigSource(properties, "test", 100)).build();
        return new TenantRegistry(config.getConfigMapping(GatewayConfig.class));
    }

    @Test
    void tenantsWorkFromEnvironmentVariablesAlone() {
        SmallRyeConfig config = builder().withSources(new EnvConfigSource(Map.of(
                "GATEWAY_TENANTS__ACME__API_KEY_SHA256", ACME_HASH,
                "GATEWAY_TENANTS__ACME__FRONT_PAYMENT_TOKEN", "acme-env-token",
                "GATEWAY_TENANTS__ACME__FRONT_PAYMENT_URL", "http://127.0.0.1:9/fp",
                "GATEWAY_UPSTREAM_TIMEOUT", "2s"), 300) {
        }).build();
        GatewayConfig gateway = config.getConfigMapping(GatewayConfig.class);
        TenantRegistry registry = new TenantRegistry(gateway);

        Tenant acme = registry.authenticate("acme-test-key").orElseThrow();
        assertEquals("acme", acme.id());
        assertEquals("acme-env-token", acme.frontPaymentToken());
        assertEquals(Optional.of(URI.create("http://127.0.0.1:9/fp")), acme.frontPaymentUrl());
        assertEquals(Duration.ofSeconds(2), gateway.upstream().timeout());
    }

    @Test
    void keysAreMatchedByHashAndOnlyExactly() {
        TenantRegistry registry = fromProperties(Map.of(
                "gateway.tenants.acme.api-key-sha256", ACME_HASH.toUpperCase(),
                "gateway.tenants.acme.front-payment-token", "t1",
                "gateway.tenants.globex.api-key-sha256", GLOBEX_HASH,
                "gateway.tenants.globex.front-payment-token", "t2"));

        assertEquals("acme", registry.authenticate("acme-test-key").orElseThrow().id());
        assertEquals("globex", registry.authenticate("globex-test-key").orElseThrow().id());
        assertFalse(registry.authenticate("acme-test-ke").isPresent());
        assertFalse(registry.authenticate("").isPresent());
        assertFalse(registry.authenticate(null).isPresent());
        assertFalse(registry.authenticate(ACME_HASH).isPresent(), "the hash itself is not a key");
    }

    @Test
    void aTenantsStringFormNeverShowsItsToken() {
        Tenant tenant = new Tenant("acme", "secret-token-value", Optional.empty());
        assertFalse(tenant.toString().contains("secret-token-value"));
    }

    @Test
    void aHashThatIsNotSha256HexStopsTheStartWithoutEchoingIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> fromProperties(Map.of(
                "gateway.tenants.acme.api-key-sha256", "my-plain-api-key",
                "gateway.tenants.acme.front-payment-token", "t1")));
        assertTrue(e.getMessage().contains("gateway.tenants.\"acme\".api-key-sha256"), e.getMessage());
        assertFalse(e.getMessage().contains("my-plain-api-key"));
    }

    @Test
    void aBlankTokenStopsTheStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> fromProperties(Map.of(
                "gateway.tenants.acme.api-key-sha256", ACME_HASH,
                "gateway.tenants.acme.front-payment-token", "   ")));
        assertTrue(e.getMessage().contains("front-payment-token"), e.getMessage());
    }

    @Test
    void twoTenantsWithOneKeyStopTheStart() {
        Map<String, String> properties = new HashMap<>();
        properties.put("gateway.tenants.acme.api-key-sha256", ACME_HASH);
        properties.put("gateway.tenants.acme.front-payment-token", "t1");
        properties.put("gateway.tenants.copy.api-key-sha256", ACME_HASH);
        properties.put("gateway.tenants.copy.front-payment-token", "t2");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> fromProperties(properties));
        assertTrue(e.getMessage().contains("own key"), e.getMessage());
    }

    @Test
    void aRelativeOrNonHttpUrlStopsTheStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> fromProperties(Map.of(
                "gateway.tenants.acme.api-key-sha256", ACME_HASH,
                "gateway.tenants.acme.front-payment-token", "t1",
                "gateway.tenants.acme.front-payment-url", "ftp://example.no")));
        assertTrue(e.getMessage().contains("front-payment-url"), e.getMessage());
    }

    @Test
    void noTenantAtAllStopsTheStart() {
        assertThrows(IllegalStateException.class, () -> fromProperties(Map.of()));
    }
}
