package io.paylink.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Everything under {@code gateway.*}. Names in docs/configuration.md are part of the public contract; the
 * policy values below them are documented in the README with their defaults.
 */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /**
     * Keyed by tenant id: {@code gateway.tenants."<id>".*}. For a few tenants: SmallRye maps each
     * entry by scanning every configured property, so start-up grows with the square of their number.
     */
    Map<String, TenantConfig> tenants();

    /** A JSON file of further tenants (tenant.TenantsFile), read at start and checked for changes while running. */
    Optional<String> tenantsFile();

    /** How often the tenants file is checked for a new version. */
    @WithDefault("5s")
    Duration tenantsFileCheckInterval();

    /**
     * ISO 3166 countries a tenant's SMS may go to unless it has its own {@code sms-countries}: Front
     * Payment's home markets, so that an operator who forgot the setting does not open every
     * premium-rate range in the world to SMS pumping (tenant.SendingRules).
     */
    @WithDefault("NO,SE,DK,FI")
    String smsCountries();

    /** Message budgets of every tenant without its own; none unless set. */
    BudgetConfig budget();

    Upstream upstream();

    /** Bodies above this get 413 PAYLOAD_TOO_LARGE; quarkus.http.limits.max-body-size is only the hard ceiling. */
    @WithDefault("16K")
    MemorySize maxBodySize();

    /** Where idempotency records and resend counts live: one instance's memory, or Redis shared by all. */
    @WithDefault("memory")
    StoreKind store();

    /**
     * Per tenant, entries of each kind the memory store keeps; unset, derived from the heap and the
     * number of tenants (MemoryStoreCapacity).
     */
    OptionalInt memoryStoreMaxEntries();

    /** Longest wait for one state-store call; over it the request fails closed (503 STORE_UNAVAILABLE). */
    @WithDefault("1s")
    Duration storeTimeout();

    RedisStore redisStore();

    /**
     * The key of the HMAC-SHA256 the store keeps instead of contacts and request fingerprints
     * (pseudonym.Pseudonyms). Optional here so that TenantRegistry's start check names the
     * environment variable; required in every profile (dev and test set a fake one).
     */
    Optional<String> hashSecret();

    /** The secret before the current one, accepted as well while a rotation runs. */
    Optional<String> hashSecretPrevious();

    ResendLimit resendLimit();

    Idempotency idempotency();

    Bulkhead bulkhead();

    enum StoreKind {
        MEMORY,
        REDIS
    }

    /**
     * Optional and plain strings on purpose: TenantRegistry checks them and names the environment
     * variable to fix; SmallRye's own "required" and conversion errors name only the property, and
     * a conversion error echoes the value.
     */
    interface TenantConfig {
        /** Hex SHA-256 of the tenant's X-Api-Key; the key itself is never configured. */
        Optional<String> apiKeySha256();

        /** A second key's hash, accepted alongside the first while callers move from one key to the other. */
        Optional<String> apiKeySha256Secondary();

        Optional<String> frontPaymentToken();

        /** Overrides {@code quarkus.rest-client.front-payment.url} for this tenant. */
        Optional<String> frontPaymentUrl();

        /** Comma-separated ISO 3166 alpha-2 codes; overrides {@code gateway.sms-countries} for this tenant. */
        Optional<String> smsCountries();

        /** Overrides {@code gateway.budget.*} for this tenant, each separately. */
        BudgetConfig budget();
    }

    /** Most messages within a sliding hour or day, SMS and e-mail counted apart; strings, checked by tenant.SendingRules. */
    interface BudgetConfig {
        Optional<String> smsPerHour();

        Optional<String> smsPerDay();

        Optional<String> emailPerHour();

        Optional<String> emailPerDay();
    }

    interface Upstream {
        @WithDefault("5s")
        Duration timeout();

        Retry retry();

        CircuitBreaker circuitBreaker();
    }

    /** Only for failures that provably never reached Front Payment; see UpstreamFaultTolerance. */
    interface Retry {
        @WithDefault("2")
        int maxRetries();

        @WithDefault("100ms")
        Duration delay();

        @WithDefault("50ms")
        Duration jitter();
    }

    interface CircuitBreaker {
        /** How many recent calls the failure ratio is measured over. */
        @WithDefault("10")
        int requestVolumeThreshold();

        @WithDefault("0.5")
        double failureRatio();

        /** How long the breaker stays open before letting a trial call through. */
        @WithDefault("10s")
        Duration delay();

        /** Successful trial calls needed to close it again. */
        @WithDefault("2")
        int successThreshold();
    }

    /** Each tenant's share of a Redis shared by all tenants: see docs/idempotency-and-isolation.md. */
    interface RedisStore {
        /**
         * Idempotency records one tenant may hold at once; a new claim beyond them gets 503
         * STORE_FULL. The default is far above a day of resends with keys for any one merchant
         * platform, and keeps one tenant's records to some tens of megabytes of Redis.
         */
        @WithDefault("100000")
        int maxKeysPerTenant();

        /** One tenant's store calls in flight in this instance; unset, half of quarkus.redis.max-pool-size. */
        OptionalInt maxCallsPerTenant();
    }

    interface ResendLimit {
        @WithDefault("5")
        int perOrder();

        @WithDefault("5")
        int perDestination();

        @WithDefault("1h")
        Duration window();
    }

    interface Idempotency {
        @WithDefault("24h")
        Duration retention();
    }

    /** Per tenant: concurrent upstream calls, and calls allowed to wait for one of them. */
    interface Bulkhead {
        @WithDefault("50")
        int limit();

        @WithDefault("100")
        int queue();
    }
}
