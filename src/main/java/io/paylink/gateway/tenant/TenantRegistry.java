package io.paylink.gateway.tenant;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.paylink.gateway.GatewayConfig;
import io.paylink.gateway.GatewayConfig.TenantConfig;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Finds the tenant behind an X-Api-Key. Only hashes of keys are configured, so a leaked config
 * file does not leak keys; the comparison runs over every tenant in constant time per entry.
 */
@Startup // a misconfigured tenant must stop the process at start, not at the first request
@ApplicationScoped
public class TenantRegistry {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final String HASH_FIX = "the hex SHA-256 of the tenant's X-Api-Key: printf %s \"$KEY\" | sha256sum";
    /** Longer keys are rejected before hashing so that a huge header costs nothing. */
    private static final int MAX_KEY_LENGTH = 512;

    static final String FRONT_PAYMENT_URL = "quarkus.rest-client.front-payment.url";

    private static final Logger LOG = Logger.getLogger(TenantRegistry.class);

    private record Entry(byte[] keyHash, Tenant tenant) {
    }

    private final List<Entry> entries;

    TenantRegistry(GatewayConfig config,
            @ConfigProperty(name = FRONT_PAYMENT_URL) Optional<String> frontPaymentUrl) {
        List<String> problems = new ArrayList<>();
        checkFrontPaymentUrl(frontPaymentUrl, problems);
        this.entries = load(config.tenants(), problems);
        if (!problems.isEmpty()) {
            // one line per problem, in the log's own format; Quarkus prints a ConfigurationException's
            // message alone, without the stack trace that would otherwise follow "Failed to start"
            problems.forEach(LOG::error);
            throw new ConfigurationException("The gateway's configuration has " + problems.size()
                    + (problems.size() == 1 ? " problem" : " problems") + ", each logged above at ERROR; not starting");
        }
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

    /**
     * Required even when every tenant has its own URL: the one REST client all tenants' calls go
     * through is configured with it, and a tenant added later without its own URL must not fall back
     * to a host nobody chose. Prod has no default (application.properties).
     */
    static void checkFrontPaymentUrl(Optional<String> value, List<String> problems) {
        String setting = env(FRONT_PAYMENT_URL) + " (" + FRONT_PAYMENT_URL + ")";
        Optional<String> url = value.map(String::trim).filter(v -> !v.isEmpty());
        if (url.isEmpty()) {
            problems.add(setting + " is not set: set it to the Front Payment base URL that the tenants' tokens are for");
        } else if (httpUrl(url.get()).isEmpty()) {
            problems.add(setting + " is not an absolute http(s) URL: set it to the Front Payment base URL that the tenants' tokens are for");
        }
    }

    /**
     * The tenants, or the problems that stop the start. Each problem names the environment variable
     * and the property to fix, and how; never a configured value (they are secrets or derived from them).
     */
    static List<Entry> load(Map<String, TenantConfig> tenants, List<String> problems) {
        if (tenants.isEmpty()) {
            problems.add("No tenant configured: for each tenant <ID> (e.g. ACME) set GATEWAY_TENANTS__<ID>__API_KEY_SHA256 "
                    + "(gateway.tenants.\"<id>\".api-key-sha256) to " + HASH_FIX + ", and GATEWAY_TENANTS__<ID>__FRONT_PAYMENT_TOKEN "
                    + "(gateway.tenants.\"<id>\".front-payment-token) to its Front Payment API token");
        }
        List<Entry> entries = new ArrayList<>();
        tenants.forEach((id, config) -> {
            String hashHex = config.apiKeySha256().map(String::trim).orElse("");
            boolean hashValid = SHA256_HEX.matcher(hashHex).matches();
            if (!hashValid) {
                problems.add(setting(id, "api-key-sha256") + (hashHex.isEmpty() ? " is not set" : " is not 64 hex characters")
                        + ": set it to " + HASH_FIX);
            }
            Optional<String> token = config.frontPaymentToken().map(String::trim).filter(t -> !t.isEmpty());
            if (token.isEmpty()) {
                problems.add(setting(id, "front-payment-token") + " is empty or not set: set it to the tenant's Front Payment API token");
            }
            Optional<URI> url = config.frontPaymentUrl().map(String::trim).flatMap(TenantRegistry::httpUrl);
            if (config.frontPaymentUrl().isPresent() && url.isEmpty()) {
                problems.add(setting(id, "front-payment-url") + " is not an absolute http(s) URL: set it to the tenant's "
                        + "Front Payment base URL, or unset it to use " + env(FRONT_PAYMENT_URL));
            }
            if (!hashValid) {
                return;
            }
            byte[] hash = HexFormat.of().parseHex(hashHex.toLowerCase(Locale.ROOT));
            for (Entry other : entries) {
                if (MessageDigest.isEqual(other.keyHash(), hash)) {
                    problems.add(setting(id, "api-key-sha256") + " is the same as tenant " + other.tenant().id() + "'s ("
                            + env(property(other.tenant().id(), "api-key-sha256")) + "): give each tenant its own X-Api-Key");
                    return;
                }
            }
            entries.add(new Entry(hash, new Tenant(id, token.orElse(""), url)));
        });
        return List.copyOf(entries);
    }

    private static Optional<URI> httpUrl(String value) {
        try {
            URI url = new URI(value);
            boolean http = "http".equals(url.getScheme()) || "https".equals(url.getScheme());
            return http && url.getHost() != null ? Optional.of(url) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty(); // its message would echo the value
        }
    }

    /** How an operator writes it: the environment variable first, then the property. */
    private static String setting(String id, String key) {
        String property = property(id, key);
        return env(property) + " (" + property + ")";
    }

    private static String property(String id, String key) {
        return "gateway.tenants.\"" + id + "\"." + key;
    }

    /** MicroProfile Config's rule: every character other than a letter, digit or _ becomes _, then upper case. */
    static String env(String property) {
        return property.replaceAll("[^A-Za-z0-9_]", "_").toUpperCase(Locale.ROOT);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
