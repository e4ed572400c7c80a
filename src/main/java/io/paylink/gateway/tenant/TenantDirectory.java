package io.paylink.gateway.tenant;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.paylink.gateway.GatewayConfig.TenantConfig;

/**
 * Every tenant in force at one moment, found by the SHA-256 of an API key. Immutable: a new
 * configuration builds a new directory, checked whole, that replaces this one in a single write;
 * a request keeps the {@link Tenant} it was authenticated as until it ends.
 */
final class TenantDirectory {

    static final String HASH_FIX = "the hex SHA-256 of the tenant's X-Api-Key: printf %s \"$KEY\" | sha256sum";
    private static final String PRIMARY = "api-key-sha256";
    private static final String SECONDARY = "api-key-sha256-secondary";

    /**
     * Looked up with the SHA-256 of the presented key, so the lookup's time (bucket, then an equals that
     * stops at the first differing byte) depends only on bits of that digest. A caller chooses keys, not
     * digests: learning that a digest of theirs shares a bucket or a prefix with a stored hash brings them
     * no closer to a key that hashes to it, which is what SHA-256's preimage resistance means. So the
     * constant-time comparison against every tenant that this replaces protected nothing, and cost a
     * comparison per tenant on every request.
     */
    private final Map<ByteBuffer, Authenticated> byKeyHash;
    private final List<Tenant> tenants;

    private TenantDirectory(Map<ByteBuffer, Authenticated> byKeyHash, List<Tenant> tenants) {
        this.byKeyHash = byKeyHash;
        this.tenants = tenants;
    }

    Optional<Authenticated> find(byte[] keyHash) {
        return Optional.ofNullable(byKeyHash.get(ByteBuffer.wrap(keyHash)));
    }

    int size() {
        return tenants.size();
    }

    List<Tenant> tenants() {
        return tenants;
    }

    /**
     * The tenants of every source, or the problems that make them unusable. Each problem names the
     * tenant and the setting to fix, and how; never a configured value (they are secrets or derived
     * from them). Linear in the number of tenants. {@code allListed}: false when a source's tenants could
     * not even be listed, a problem said already, so that having none is not one more. {@code defaults}:
     * the sending rules of a tenant without its own.
     */
    static TenantDirectory build(List<TenantSource> sources, boolean allListed, SendingRules defaults, List<String> problems) {
        int configured = sources.stream().mapToInt(source -> source.tenants().size()).sum();
        // sized for two keys per tenant at HashMap's load factor, so that it never rehashes
        Map<ByteBuffer, Authenticated> byKeyHash = new HashMap<>((int) (2 * configured / 0.75f) + 1);
        Map<String, TenantSource> sourceOf = new HashMap<>((int) (configured / 0.75f) + 1);
        List<Tenant> tenants = new ArrayList<>(configured);
        for (TenantSource source : sources) {
            source.tenants().forEach((id, config) -> {
                TenantSource other = sourceOf.putIfAbsent(id, source);
                if (other != null) {
                    problems.add("Tenant " + id + " is configured both in " + other.name() + " and in " + source.name()
                            + ": keep each tenant in one place");
                    return;
                }
                Optional<byte[]> primary = hash(source, id, PRIMARY, config.apiKeySha256(), true, problems);
                Optional<byte[]> secondary = hash(source, id, SECONDARY, config.apiKeySha256Secondary(), false, problems);
                Optional<String> token = config.frontPaymentToken().map(String::trim).filter(t -> !t.isEmpty());
                if (token.isEmpty()) {
                    problems.add(source.setting().apply(id, "front-payment-token")
                            + " is empty or not set: set it to the tenant's Front Payment API token");
                }
                Optional<URI> url = config.frontPaymentUrl().map(String::trim).flatMap(TenantDirectory::httpUrl);
                if (config.frontPaymentUrl().isPresent() && url.isEmpty()) {
                    problems.add(source.setting().apply(id, "front-payment-url") + " is not an absolute http(s) URL: set it to the "
                            + "tenant's Front Payment base URL, or unset it to use " + TenantRegistry.env(TenantRegistry.FRONT_PAYMENT_URL));
                }
                SendingRules rules = SendingRules.of(config, defaults, field -> source.setting().apply(id, field), problems);
                Tenant tenant = new Tenant(id, token.orElse(""), url, rules);
                tenants.add(tenant);
                primary.ifPresent(hash -> add(byKeyHash, sourceOf, hash, new Authenticated(tenant, KeySlot.PRIMARY), problems));
                secondary.ifPresent(hash -> add(byKeyHash, sourceOf, hash, new Authenticated(tenant, KeySlot.SECONDARY), problems));
            });
        }
        if (configured == 0 && allListed) {
            problems.add("No tenant configured: for each tenant <ID> (e.g. ACME) set GATEWAY_TENANTS__<ID>__API_KEY_SHA256 "
                    + "(gateway.tenants.\"<id>\".api-key-sha256) to " + HASH_FIX + ", and GATEWAY_TENANTS__<ID>__FRONT_PAYMENT_TOKEN "
                    + "(gateway.tenants.\"<id>\".front-payment-token) to its Front Payment API token; or list the tenants in "
                    + "a file named by GATEWAY_TENANTS_FILE (gateway.tenants-file)");
        }
        // not copied: at ten thousand tenants a copy is megabytes more for the start to allocate
        return new TenantDirectory(Collections.unmodifiableMap(byKeyHash), Collections.unmodifiableList(tenants));
    }

    private static Optional<byte[]> hash(TenantSource source, String id, String field, Optional<String> value, boolean required,
            List<String> problems) {
        String hex = value.map(String::trim).orElse("");
        if (hex.isEmpty() && !required) {
            return Optional.empty();
        }
        if (hex.length() == 2 * 32) {
            try {
                return Optional.of(HexFormat.of().parseHex(hex)); // either case
            } catch (IllegalArgumentException notHex) {
                // reported below; its message would quote the value
            }
        }
        problems.add(source.setting().apply(id, field) + (hex.isEmpty() ? " is not set" : " is not 64 hex characters")
                + ": set it to " + HASH_FIX);
        return Optional.empty();
    }

    private static void add(Map<ByteBuffer, Authenticated> byKeyHash, Map<String, TenantSource> sourceOf, byte[] hash,
            Authenticated entry, List<String> problems) {
        Authenticated other = byKeyHash.putIfAbsent(ByteBuffer.wrap(hash), entry);
        if (other != null) {
            problems.add(setting(sourceOf, entry) + " is the same as tenant " + other.tenant().id() + "'s (" + setting(sourceOf, other)
                    + "): give each tenant, and each of a tenant's two keys, its own X-Api-Key");
        }
    }

    private static String setting(Map<String, TenantSource> sourceOf, Authenticated key) {
        String id = key.tenant().id();
        return sourceOf.get(id).setting().apply(id, key.key() == KeySlot.PRIMARY ? PRIMARY : SECONDARY);
    }

    static Optional<URI> httpUrl(String value) {
        try {
            URI url = new URI(value);
            boolean http = "http".equals(url.getScheme()) || "https".equals(url.getScheme());
            return http && url.getHost() != null ? Optional.of(url) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty(); // its message would echo the value
        }
    }
}
