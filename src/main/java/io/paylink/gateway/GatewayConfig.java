package io.paylink.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything under {@code gateway.*}; the names are part of the public contract (CONTRACT.md). */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** Keyed by tenant id: {@code gateway.tenants."<id>".*}. */
    Map<String, TenantConfig> tenants();

    Upstream upstream();

    /** Bodies above this get 413 PAYLOAD_TOO_LARGE; quarkus.http.limits.max-body-size is only the hard ceiling. */
    @WithDefault("16K")
    MemorySize maxBodySize();

    interface TenantConfig {
        /** Hex SHA-256 of the tenant's X-Api-Key; the key itself is never configured. */
        String apiKeySha256();

        String frontPaymentToken();

        /** Overrides {@code quarkus.rest-client.front-payment.url} for this tenant. */
        Optional<URI> frontPaymentUrl();
    }

    interface Upstream {
        @WithDefault("5s")
        Duration timeout();
    }
}
