package io.paylink.gateway.tenant;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.paylink.gateway.GatewayConfig;
import io.paylink.gateway.pseudonym.Pseudonyms;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Finds the tenant behind an X-Api-Key, among the tenants of the environment and of the tenants
 * file. Only hashes of keys are configured, so a leaked configuration does not leak keys. A new
 * version of the file replaces every tenant at once, or none.
 */
@Startup // a misconfigured tenant must stop the process at start, not at the first request
@ApplicationScoped
public class TenantRegistry {

    /** Longer keys are rejected before hashing so that a huge header costs nothing. */
    private static final int MAX_KEY_LENGTH = 512;

    static final String FRONT_PAYMENT_URL = "quarkus.rest-client.front-payment.url";

    private static final Logger LOG = Logger.getLogger(TenantRegistry.class);
    /** A start with thousands of tenants of the same rules logs one line for them, not thousands. */
    private static final int MAX_IDS_LOGGED = 20;

    private final TenantSource environment;
    private final SendingRules defaults;
    private final Optional<Path> file;
    /** Until the reload check takes it: the version read at start, which the check must not take for a change. */
    private byte[] fileAtStart;
    /** Read by every request, written by reloads: one write replaces every tenant, never some of them. */
    private volatile TenantDirectory directory;

    TenantRegistry(GatewayConfig config, @ConfigProperty(name = FRONT_PAYMENT_URL) Optional<String> frontPaymentUrl) {
        long start = System.nanoTime();
        List<String> problems = new ArrayList<>();
        checkFrontPaymentUrl(frontPaymentUrl, problems);
        // checked here so that every start problem is reported at once, in the same lines
        problems.addAll(Pseudonyms.problems(config.hashSecret(), config.hashSecretPrevious()));
        this.environment = environment(config.tenants());
        this.defaults = SendingRules.gatewayDefaults(config, problems);
        this.file = config.tenantsFile().map(String::trim).filter(name -> !name.isEmpty()).map(Path::of);
        Optional<byte[]> content = file.flatMap(path -> TenantsFile.read(path, problems));
        this.fileAtStart = content.orElse(new byte[0]);
        this.directory = directory(content, problems);
        if (!problems.isEmpty()) {
            // one line per problem, in the log's own format; Quarkus prints a ConfigurationException's
            // message alone, without the stack trace that would otherwise follow "Failed to start"
            problems.forEach(LOG::error);
            throw new ConfigurationException("The gateway's configuration has " + problems.size()
                    + (problems.size() == 1 ? " problem" : " problems") + ", each logged above at ERROR; not starting");
        }
        LOG.infof("Tenants: %d (%d from the environment%s), checked in %d ms", directory.size(), config.tenants().size(),
                file.map(path -> ", the others from " + TenantsFile.name(path)).orElse(""), (System.nanoTime() - start) / 1_000_000);
        logSendingRules(directory);
        if (Pseudonyms.rotating(config.hashSecretPrevious())) {
            // a rotation left half done costs two limit counters per destination for good: say so at every start
            LOG.info("Hash secret rotation in progress: GATEWAY_HASH_SECRET_PREVIOUS is set, so records and limits are also "
                    + "found under the previous secret; remove it 24 h after every instance runs with both secrets "
                    + "(docs/configuration.md, \"Rotating the hash secret\")");
        }
    }

    /** One line per distinct set of rules, naming its tenants: an operator sees each tenant's countries and budgets. */
    private static void logSendingRules(TenantDirectory directory) {
        Map<String, List<String>> byRules = new TreeMap<>();
        directory.tenants().forEach(tenant -> byRules.computeIfAbsent(tenant.rules().describe(), rules -> new ArrayList<>()).add(tenant.id()));
        byRules.forEach((rules, ids) -> LOG.infof("Sending rules of %s: %s", names(ids), rules));
    }

    private static String names(List<String> ids) {
        int shown = Math.min(ids.size(), MAX_IDS_LOGGED);
        String listed = (ids.size() == 1 ? "tenant " : "tenants ") + String.join(", ", ids.subList(0, shown));
        return shown == ids.size() ? listed : listed + " and " + (ids.size() - shown) + " more";
    }

    private TenantDirectory directory(Optional<byte[]> fileContent, List<String> problems) {
        List<TenantSource> sources = new ArrayList<>(List.of(environment));
        Optional<TenantSource> fromFile = file.flatMap(path -> fileContent.flatMap(content -> TenantsFile.parse(path, content, problems)));
        fromFile.ifPresent(sources::add);
        return TenantDirectory.build(sources, file.isEmpty() || fromFile.isPresent(), defaults, problems);
    }

    /** The key's tenant as configured now; the request keeps this one to its end, whatever a reload does meanwhile. */
    public Optional<Authenticated> authenticate(String apiKey) {
        if (apiKey == null || apiKey.isEmpty() || apiKey.length() > MAX_KEY_LENGTH) {
            return Optional.empty();
        }
        return directory.find(sha256(apiKey.getBytes(StandardCharsets.UTF_8)));
    }

    /** Tenants in force now. */
    public int size() {
        return directory.size();
    }

    /** Every tenant in force now. */
    public List<Tenant> tenants() {
        return directory.tenants();
    }

    Optional<Path> file() {
        return file;
    }

    /**
     * The file's content at start, once: hashed by the reload check on its own thread, since hashing
     * megabytes before the JIT has compiled SHA-256 would add a quarter of a second to the start.
     */
    synchronized byte[] takeFileAtStart() {
        byte[] taken = fileAtStart;
        fileAtStart = null;
        return taken;
    }

    /**
     * The file's tenants from {@code content}, with the environment's, in place of those in force:
     * all of them if the whole is valid, none otherwise. The problems, empty when it was swapped in.
     */
    synchronized List<String> reload(byte[] content) {
        List<String> problems = new ArrayList<>();
        TenantDirectory next = directory(Optional.of(content), problems);
        if (problems.isEmpty()) {
            directory = next;
            logSendingRules(next);
        }
        return problems;
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
        } else if (TenantDirectory.httpUrl(url.get()).isEmpty()) {
            problems.add(setting + " is not an absolute http(s) URL: set it to the Front Payment base URL that the tenants' tokens are for");
        }
    }

    static TenantSource environment(Map<String, ? extends GatewayConfig.TenantConfig> tenants) {
        return new TenantSource("the environment or properties (GATEWAY_TENANTS__<ID>__*, gateway.tenants.\"<id>\".*)", tenants,
                TenantRegistry::setting);
    }

    /** How an operator writes it: the environment variable first, then the property. */
    private static String setting(String id, String key) {
        String property = "gateway.tenants.\"" + id + "\"." + key;
        return env(property) + " (" + property + ")";
    }

    /** MicroProfile Config's rule: every character other than a letter, digit or _ becomes _, then upper case. */
    static String env(String property) {
        return property.replaceAll("[^A-Za-z0-9_]", "_").toUpperCase(Locale.ROOT);
    }

    static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
