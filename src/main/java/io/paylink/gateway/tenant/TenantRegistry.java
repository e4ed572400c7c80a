package io.paylink.gateway.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.paylink.gateway.GatewayConfig;
import io.paylink.gateway.GatewayConfig.TenantConfig;
import io.quarkus.runtime.Startup;

/**
 * Finds the tenant behind an X-Api-Key. Only hashes of keys are configured, so a leaked config
 * file does not leak keys; the comparison runs over every tenant in constant time per entry.
 */
@Startup // a misconfigured tenant must stop the process at start, not at the first request
@ApplicationScoped
public class TenantRegistry {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    /** Longer keys are rejected before hashing so that a huge header costs nothing. */
    private static final int MAX_KEY_LENGTH = 512;

    private record Entry(byte[] keyHash, Tenant tenant) {
    }

    private final List<Entry> entries;

    TenantRegistry(GatewayConfig config) {
        this.entries = load(config.tenants());
    }

    public Optional<Tenant> authenticate(String apiKey) {
        if (apiKey == null || apiKey.isEmpty() || apiKey.length() > MAX_KEY_LENGTH) {
            return Optional.empty();
        }
        byte[] hash = sha256(apiKey);
        Tenant found = null;
        for (Entry entry : entries) {
            // no early exit: the time taken must not tell which entry matched
            if (MessageDigest.isEqual(entry.keyHash(), hash)) {
                found = entry.tenant();
            }
        }
        return Optional.ofNullable(found);
    }

    static List<Entry> load(Map<String, TenantConfig> tenants) {
        if (tenants.isEmpty()) {
            throw new IllegalStateException("No tenant configured: set gateway.tenants.\"<id>\".api-key-sha256 "
                    + "and gateway.tenants.\"<id>\".front-payment-token");
        }
        List<Entry> entries = new ArrayList<>();
        tenants.forEach((id, config) -> {
            String prefix = "gateway.tenants.\"" + id + "\".";
            // never echo the configured values: they are secrets or derived from secrets
            if (!SHA256_HEX.matcher(config.apiKeySha256().trim()).matches()) {
                throw new IllegalStateException(prefix + "api-key-sha256 must be 64 hex characters (SHA-256 of the API key)");
            }
            if (config.frontPaymentToken().isBlank()) {
                throw new IllegalStateException(prefix + "front-payment-token must not be empty");
            }
            config.frontPaymentUrl().ifPresent(url -> {
                if (!url.isAbsolute() || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                    throw new IllegalStateException(prefix + "front-payment-url must be an absolute http(s) URL");
                }
            });
            byte[] hash = HexFormat.of().parseHex(config.apiKeySha256().trim().toLowerCase());
            for (Entry other : entries) {
                if (MessageDigest.isEqual(other.keyHash(), hash)) {
                    throw new IllegalStateException(prefix + "api-key-sha256 is the same as tenant "
                            + other.tenant().id() + "'s: each tenant needs its own key");
                }
            }
            entries.add(new Entry(hash, new Tenant(id, config.frontPaymentToken().trim(), config.frontPaymentUrl())));
        });
        return List.copyOf(entries);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
