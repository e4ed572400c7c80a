package io.paylink.gateway.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.paylink.gateway.GatewayConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.ConfigurationException;
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
    private static final String FRONT_PAYMENT = "https://front-payment.example";

    /** Required at start like the tenants; the lowest-ranked source, so that a test may override it. */
    private static final Map<String, String> HASH_SECRET = Map.of("gateway.hash-secret", "unit-test-hash-secret-not-secret-at-all");

    static SmallRyeConfigBuilder builder() {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(HASH_SECRET, "hash-secret", 1))
                .withMapping(GatewayConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withConverter(MemorySize.class, 100, new MemorySizeConverter());
    }

    private static TenantRegistry fromProperties(Map<String, String> properties) {
        SmallRyeConfig config = builder().withSources(new PropertiesConfigSource(properties, "test", 100)).build();
        return new TenantRegistry(config.getConfigMapping(GatewayConfig.class), Optional.of(FRONT_PAYMENT));
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
        TenantRegistry registry = new TenantRegistry(gateway, Optional.of(FRONT_PAYMENT));

        Tenant acme = registry.authenticate("acme-test-key").orElseThrow().tenant();
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

        assertEquals("acme", registry.authenticate("acme-test-key").orElseThrow().tenant().id());
        assertEquals("globex", registry.authenticate("globex-test-key").orElseThrow().tenant().id());
        assertFalse(registry.authenticate("acme-test-ke").isPresent());
        assertFalse(registry.authenticate("").isPresent());
        assertFalse(registry.authenticate(null).isPresent());
        assertFalse(registry.authenticate(ACME_HASH).isPresent(), "the hash itself is not a key");
    }

    @Test
    void aTenantsStringFormNeverShowsItsToken() {
        Tenant tenant = new Tenant("acme", "secret-token-value", Optional.empty(), new SendingRules(Set.of("NO"), "test", List.of()));
        assertFalse(tenant.toString().contains("secret-token-value"));
    }

    /** What the start would log at ERROR, one entry per line. */
    private static List<String> problemsOf(Map<String, String> properties) {
        SmallRyeConfig config = builder().withSources(new PropertiesConfigSource(properties, "test", 100)).build();
        List<String> problems = new ArrayList<>();
        GatewayConfig gateway = config.getConfigMapping(GatewayConfig.class);
        TenantDirectory.build(List.of(TenantRegistry.environment(gateway.tenants())), true, SendingRules.gatewayDefaults(gateway, problems),
                problems);
        return problems;
    }

    static void assertOneProblem(List<String> problems, String... parts) {
        assertEquals(1, problems.size(), problems::toString);
        for (String part : parts) {
            assertTrue(problems.get(0).contains(part), () -> "no \"" + part + "\" in: " + problems.get(0));
        }
    }

    @Test
    void aHashThatIsNotSha256HexStopsTheStartWithoutEchoingIt() {
        List<String> problems = problemsOf(Map.of(
                "gateway.tenants.acme.api-key-sha256", "my-plain-api-key",
                "gateway.tenants.acme.front-payment-token", "t1"));
        assertOneProblem(problems, "GATEWAY_TENANTS__ACME__API_KEY_SHA256 (gateway.tenants.\"acme\".api-key-sha256) is not 64 hex",
                "printf %s \"$KEY\" | sha256sum");
        assertFalse(problems.get(0).contains("my-plain-api-key"));
    }

    @Test
    void aMissingHashIsNamed() {
        assertOneProblem(problemsOf(Map.of("gateway.tenants.acme.front-payment-token", "t1")),
                "GATEWAY_TENANTS__ACME__API_KEY_SHA256 (gateway.tenants.\"acme\".api-key-sha256) is not set");
    }

    @Test
    void aBlankTokenStopsTheStart() {
        assertOneProblem(problemsOf(Map.of(
                "gateway.tenants.acme.api-key-sha256", ACME_HASH,
                "gateway.tenants.acme.front-payment-token", "   ")),
                "GATEWAY_TENANTS__ACME__FRONT_PAYMENT_TOKEN (gateway.tenants.\"acme\".front-payment-token) is empty");
    }

    @Test
    void twoTenantsWithOneKeyStopTheStart() {
        Map<String, String> properties = new HashMap<>();
        properties.put("gateway.tenants.acme.api-key-sha256", ACME_HASH);
        properties.put("gateway.tenants.acme.front-payment-token", "t1");
        properties.put("gateway.tenants.copy.api-key-sha256", ACME_HASH);
        properties.put("gateway.tenants.copy.front-payment-token", "t2");
        List<String> problems = problemsOf(properties);
        assertOneProblem(problems, "is the same as tenant", "own X-Api-Key");
        assertFalse(problems.get(0).contains(ACME_HASH));
    }

    @Test
    void aRelativeOrNonHttpUrlStopsTheStartWithoutEchoingIt() {
        for (String url : List.of("ftp://example.no", "/fp", "http://exa mple.no", "https:opaque")) {
            List<String> problems = problemsOf(Map.of(
                    "gateway.tenants.acme.api-key-sha256", ACME_HASH,
                    "gateway.tenants.acme.front-payment-token", "t1",
                    "gateway.tenants.acme.front-payment-url", url));
            assertOneProblem(problems,
                    "GATEWAY_TENANTS__ACME__FRONT_PAYMENT_URL (gateway.tenants.\"acme\".front-payment-url) is not an absolute http(s) URL");
            assertFalse(problems.get(0).contains(url), problems.get(0));
        }
    }

    @Test
    void noTenantAtAllStopsTheStart() {
        assertOneProblem(problemsOf(Map.of()), "No tenant configured",
                "GATEWAY_TENANTS__<ID>__API_KEY_SHA256 (gateway.tenants.\"<id>\".api-key-sha256)",
                "GATEWAY_TENANTS__<ID>__FRONT_PAYMENT_TOKEN (gateway.tenants.\"<id>\".front-payment-token)");
    }

    @Test
    void everyProblemIsReportedAndTheStartStopsWithoutAStackTraceWorthyException() {
        Map<String, String> properties = new HashMap<>();
        properties.put("gateway.tenants.acme.api-key-sha256", "nope");
        properties.put("gateway.tenants.acme.front-payment-token", "");
        properties.put("gateway.tenants.globex.api-key-sha256", GLOBEX_HASH);
        properties.put("gateway.tenants.globex.front-payment-token", "t2");
        properties.put("gateway.tenants.globex.front-payment-url", "ftp://x");
        assertEquals(3, problemsOf(properties).size(), () -> problemsOf(properties).toString());

        // Quarkus prints a ConfigurationException's message alone, with no stack trace
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> fromProperties(properties));
        assertEquals("The gateway's configuration has 3 problems, each logged above at ERROR; not starting", e.getMessage());
    }

    @Test
    void withoutTheFrontPaymentUrlTheStartStopsEvenIfEveryTenantHasItsOwn() {
        Map<String, String> properties = Map.of(
                "gateway.tenants.acme.api-key-sha256", ACME_HASH,
                "gateway.tenants.acme.front-payment-token", "t1",
                "gateway.tenants.acme.front-payment-url", "http://127.0.0.1:9/fp");
        SmallRyeConfig config = builder().withSources(new PropertiesConfigSource(properties, "test", 100)).build();
        for (Optional<String> missing : List.of(Optional.<String>empty(), Optional.of("  "))) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> new TenantRegistry(config.getConfigMapping(GatewayConfig.class), missing));
            assertEquals("The gateway's configuration has 1 problem, each logged above at ERROR; not starting", e.getMessage());
            List<String> problems = new ArrayList<>();
            TenantRegistry.checkFrontPaymentUrl(missing, problems);
            assertOneProblem(problems, "QUARKUS_REST_CLIENT_FRONT_PAYMENT_URL (quarkus.rest-client.front-payment.url) is not set");
        }
    }

    @Test
    void withoutTheHashSecretTheStartStopsWithTheOtherProblems() {
        Map<String, String> properties = Map.of(
                "gateway.hash-secret", "", // unset: an empty value overrides the builder's
                "gateway.tenants.acme.api-key-sha256", ACME_HASH,
                "gateway.tenants.acme.front-payment-token", "");
        SmallRyeConfig config = builder().withSources(new PropertiesConfigSource(properties, "test", 100)).build();
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new TenantRegistry(config.getConfigMapping(GatewayConfig.class), Optional.of(FRONT_PAYMENT)));
        assertEquals("The gateway's configuration has 2 problems, each logged above at ERROR; not starting", e.getMessage());
    }

    @Test
    void aFrontPaymentUrlThatIsNotHttpStopsTheStartWithoutEchoingIt() {
        for (String url : List.of("ftp://example.no", "/fp", "http://exa mple.no")) {
            List<String> problems = new ArrayList<>();
            TenantRegistry.checkFrontPaymentUrl(Optional.of(url), problems);
            assertOneProblem(problems,
                    "QUARKUS_REST_CLIENT_FRONT_PAYMENT_URL (quarkus.rest-client.front-payment.url) is not an absolute http(s) URL");
            assertFalse(problems.get(0).contains(url), problems.get(0));
        }
        List<String> none = new ArrayList<>();
        TenantRegistry.checkFrontPaymentUrl(Optional.of(FRONT_PAYMENT), none);
        assertEquals(List.of(), none);
    }

    @Test
    void environmentVariableNamesFollowMicroProfileConfig() {
        assertEquals("GATEWAY_TENANTS__MY_SHOP__API_KEY_SHA256", TenantRegistry.env("gateway.tenants.\"my-shop\".api-key-sha256"));
        assertEquals("QUARKUS_REST_CLIENT_FRONT_PAYMENT_URL", TenantRegistry.env("quarkus.rest-client.front-payment.url"));
    }

    @Test
    void smsCountriesAndBudgetsWorkFromEnvironmentVariablesAndFallBackToTheGatewaysDefaults() {
        SmallRyeConfig config = builder().withSources(new EnvConfigSource(Map.of(
                "GATEWAY_TENANTS__ACME__API_KEY_SHA256", ACME_HASH,
                "GATEWAY_TENANTS__ACME__FRONT_PAYMENT_TOKEN", "acme-env-token",
                "GATEWAY_TENANTS__ACME__SMS_COUNTRIES", "no, se",
                "GATEWAY_TENANTS__ACME__BUDGET_SMS_PER_HOUR", "100",
                "GATEWAY_BUDGET_SMS_PER_DAY", "1000",
                "GATEWAY_TENANTS__GLOBEX__API_KEY_SHA256", GLOBEX_HASH,
                "GATEWAY_TENANTS__GLOBEX__FRONT_PAYMENT_TOKEN", "globex-env-token"), 300) {
        }).build();
        TenantRegistry registry = new TenantRegistry(config.getConfigMapping(GatewayConfig.class), Optional.of(FRONT_PAYMENT));

        SendingRules acme = registry.authenticate("acme-test-key").orElseThrow().tenant().rules();
        assertEquals(Set.of("NO", "SE"), acme.smsCountries());
        assertEquals(List.of(new MessageBudget(MessageBudget.Channel.SMS, MessageBudget.Period.HOUR, 100),
                new MessageBudget(MessageBudget.Channel.SMS, MessageBudget.Period.DAY, 1000)), acme.budgets());
        SendingRules globex = registry.authenticate("globex-test-key").orElseThrow().tenant().rules();
        assertEquals(Set.of("NO", "SE", "DK", "FI"), globex.smsCountries(), "without its own list: Front Payment's home markets");
        assertEquals(List.of(new MessageBudget(MessageBudget.Channel.SMS, MessageBudget.Period.DAY, 1000)), globex.budgets());
    }

    @Test
    void anUnknownCountryCodeStopsTheStartNamingTheSetting() {
        assertOneProblem(problemsOf(Map.of(
                "gateway.tenants.acme.api-key-sha256", ACME_HASH,
                "gateway.tenants.acme.front-payment-token", "t1",
                "gateway.tenants.acme.sms-countries", "NO,XX,Norway")),
                "GATEWAY_TENANTS__ACME__SMS_COUNTRIES (gateway.tenants.\"acme\".sms-countries) has unknown country codes XX,NORWAY",
                "ISO 3166");
        assertOneProblem(problemsOf(Map.of(
                "gateway.sms-countries", "NO,EU",
                "gateway.tenants.acme.api-key-sha256", ACME_HASH,
                "gateway.tenants.acme.front-payment-token", "t1")),
                "GATEWAY_SMS_COUNTRIES (gateway.sms-countries) has unknown country codes EU");
    }

    @Test
    void aBudgetThatIsNotAPositiveWholeNumberStopsTheStart() {
        assertOneProblem(problemsOf(Map.of(
                "gateway.tenants.acme.api-key-sha256", ACME_HASH,
                "gateway.tenants.acme.front-payment-token", "t1",
                "gateway.tenants.acme.budget.email-per-day", "0")),
                "GATEWAY_TENANTS__ACME__BUDGET_EMAIL_PER_DAY (gateway.tenants.\"acme\".budget.email-per-day) is not a whole number");
    }
}
