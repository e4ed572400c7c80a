package io.paylink.gateway.tenant;

import static io.paylink.gateway.support.TenantsFileProfile.sha256Hex;
import static io.paylink.gateway.support.TenantsFileProfile.tenant;
import static io.paylink.gateway.support.TenantsFileProfile.tenantsJson;
import static io.paylink.gateway.tenant.TenantConfigurationTest.assertOneProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.paylink.gateway.GatewayConfig;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;

/** The tenants file at start: combined with the environment's tenants, and checked as strictly, never echoing a value. */
class TenantsFileTest {

    private static final String FRONT_PAYMENT = "https://front-payment.example";

    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        return Files.writeString(dir.resolve("tenants.json"), content);
    }

    private static GatewayConfig config(Map<String, String> properties) {
        return TenantConfigurationTest.builder().withSources(new PropertiesConfigSource(properties, "test", 100)).build()
                .getConfigMapping(GatewayConfig.class);
    }

    private static TenantRegistry registry(Path file, Map<String, String> environment) {
        Map<String, String> properties = new HashMap<>(environment);
        properties.put("gateway.tenants-file", file.toString());
        return new TenantRegistry(config(properties), Optional.of(FRONT_PAYMENT));
    }

    /** What the start would log at ERROR, one entry per line. */
    private static List<String> problemsOf(Path file, Map<String, String> environment) throws IOException {
        List<String> problems = new ArrayList<>();
        List<TenantSource> sources = new ArrayList<>(List.of(TenantRegistry.environment(config(environment).tenants())));
        Optional<TenantSource> fromFile = TenantsFile.parse(file, Files.readAllBytes(file), problems);
        fromFile.ifPresent(sources::add);
        TenantDirectory.build(sources, fromFile.isPresent(), SendingRules.gatewayDefaults(config(environment), problems), problems);
        return problems;
    }

    @Test
    void theFilesTenantsAndTheEnvironmentsAreServedTogetherEachKeyNamedByItsSlot() throws IOException {
        TenantRegistry registry = registry(file(tenantsJson(
                tenant("initech", "initech-key", "initech-next-key", "initech-token"),
                tenant("hooli", "hooli-key", null, "hooli-token"))),
                Map.of("gateway.tenants.acme.api-key-sha256", sha256Hex("acme-key"),
                        "gateway.tenants.acme.api-key-sha256-secondary", sha256Hex("acme-next-key"),
                        "gateway.tenants.acme.front-payment-token", "acme-token"));

        assertEquals(3, registry.size());
        Authenticated initech = registry.authenticate("initech-key").orElseThrow();
        assertEquals("initech", initech.tenant().id());
        assertEquals("initech-token", initech.tenant().frontPaymentToken());
        assertEquals(KeySlot.PRIMARY, initech.key());
        assertEquals(new Authenticated(initech.tenant(), KeySlot.SECONDARY), registry.authenticate("initech-next-key").orElseThrow());
        assertEquals("hooli", registry.authenticate("hooli-key").orElseThrow().tenant().id());
        assertEquals(KeySlot.SECONDARY, registry.authenticate("acme-next-key").orElseThrow().key());
        assertEquals("acme", registry.authenticate("acme-key").orElseThrow().tenant().id());
        assertFalse(registry.authenticate("initech-token").isPresent());
    }

    @Test
    void aFileOfTenantsIsEnoughWithoutAnyInTheEnvironment() throws IOException {
        TenantRegistry registry = registry(file(tenantsJson(tenant("initech", "initech-key", null, "initech-token"))), Map.of());
        assertEquals(1, registry.size());
        assertEquals("initech", registry.authenticate("initech-key").orElseThrow().tenant().id());
    }

    @Test
    void aBadTenantInTheFileStopsTheStartNamingTenantAndFieldNeverTheValue() throws IOException {
        Path file = file("""
                {"tenants": {
                  "initech": {"api-key-sha256": "initech-plain-key", "front-payment-token": "initech-token"},
                  "hooli": {"api-key-sha256": "%s", "api-key-sha256-secondary": "hooli-next-plain-key", "front-payment-token": " ",
                            "front-payment-url": "ftp://hooli-host.example"}
                }}""".formatted(sha256Hex("hooli-key")));
        List<String> problems = problemsOf(file, Map.of());
        String where = " in the tenants file " + file + " (gateway.tenants-file)";
        assertEquals(List.of(
                "\"api-key-sha256\" of tenant \"initech\"" + where + " is not 64 hex characters: set it to " + TenantDirectory.HASH_FIX,
                "\"api-key-sha256-secondary\" of tenant \"hooli\"" + where + " is not 64 hex characters: set it to " + TenantDirectory.HASH_FIX,
                "\"front-payment-token\" of tenant \"hooli\"" + where + " is empty or not set: set it to the tenant's Front Payment API token",
                "\"front-payment-url\" of tenant \"hooli\"" + where + " is not an absolute http(s) URL: set it to the tenant's Front Payment "
                        + "base URL, or unset it to use QUARKUS_REST_CLIENT_FRONT_PAYMENT_URL"), problems);
        for (String secret : List.of("initech-plain-key", "initech-token", "hooli-next-plain-key", "hooli-host", sha256Hex("hooli-key"))) {
            assertFalse(problems.toString().contains(secret), secret);
        }

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> registry(file, Map.of()));
        assertEquals("The gateway's configuration has 4 problems, each logged above at ERROR; not starting", e.getMessage());
    }

    @Test
    void aFileThatIsNotJsonIsPlacedByLineAndColumnWithoutQuotingIt() throws IOException {
        Path file = file("{\"tenants\": {\"initech\": {\"front-payment-token\": \"initech-secret-token\" \"x\"}}}");
        List<String> problems = problemsOf(file, Map.of());
        assertOneProblem(problems, "the tenants file " + file + " (gateway.tenants-file) is not a tenants file: not JSON", "at line 1, column ");
        assertFalse(problems.get(0).contains("initech-secret-token"), problems.get(0));
    }

    @Test
    void anUnknownFieldOrAWrongTypeIsNamedWithItsTenant() throws IOException {
        assertOneProblem(problemsOf(file("{\"tenants\": {\"initech\": {\"api-key-sha265\": \"x\"}}}"), Map.of()),
                "unknown field \"api-key-sha265\" in tenant \"initech\" at line 1", "a tenant's fields are api-key-sha256,");
        assertOneProblem(problemsOf(file("{\"tenants\": {\"initech\": {\"front-payment-token\": {\"v\": \"initech-token\"}}}}"), Map.of()),
                "a value of the wrong type in tenant \"initech\"");
        assertOneProblem(problemsOf(file("{\"tenant\": {}}"), Map.of()), "unknown field \"tenant\" at line 1");
        assertOneProblem(problemsOf(file("{}"), Map.of()), "has no \"tenants\" object");
    }

    @Test
    void aTenantNamedTwiceOrWithAnUnusableIdIsRefusedWithoutEchoingTheId() throws IOException {
        assertOneProblem(problemsOf(file(tenantsJson(tenant("initech", "k1", null, "t1"), tenant("initech", "k2", null, "t2"))), Map.of()),
                "not JSON, or a tenant or field named twice, at line 2");
        List<String> problems = problemsOf(file(tenantsJson(tenant("initech", "k1", null, "t1"), tenant("Bad Id\\nforged", "k2", null, "t2"))),
                Map.of());
        assertOneProblem(problems, "the id of tenant number 2 is not 1 to 64 lower-case letters");
        assertFalse(problems.get(0).contains("forged"), problems.get(0));
    }

    @Test
    void aTenantInTheEnvironmentAndInTheFileStopsTheStart() throws IOException {
        List<String> problems = problemsOf(file(tenantsJson(tenant("acme", "acme-file-key", null, "t1"))),
                Map.of("gateway.tenants.acme.api-key-sha256", sha256Hex("acme-key"), "gateway.tenants.acme.front-payment-token", "t2"));
        assertOneProblem(problems, "Tenant acme is configured both in the environment or properties (GATEWAY_TENANTS__<ID>__*",
                "and in the tenants file", "keep each tenant in one place");
    }

    @Test
    void aKeyHashHeldTwiceAnywhereIsRefusedNamingBothPlaces() throws IOException {
        List<String> problems = problemsOf(file(tenantsJson(tenant("initech", "initech-key", "acme-key", "t1"))),
                Map.of("gateway.tenants.acme.api-key-sha256", sha256Hex("acme-key"), "gateway.tenants.acme.front-payment-token", "t2"));
        assertOneProblem(problems, "\"api-key-sha256-secondary\" of tenant \"initech\"", "is the same as tenant acme's "
                + "(GATEWAY_TENANTS__ACME__API_KEY_SHA256 (gateway.tenants.\"acme\".api-key-sha256))");
        assertFalse(problems.get(0).contains(sha256Hex("acme-key")));
    }

    @Test
    void aMissingFileStopsTheStart() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> registry(dir.resolve("absent.json"), Map.of("gateway.tenants.acme.api-key-sha256", sha256Hex("acme-key"),
                        "gateway.tenants.acme.front-payment-token", "t2")));
        assertEquals("The gateway's configuration has 1 problem, each logged above at ERROR; not starting", e.getMessage());
        List<String> problems = new ArrayList<>();
        TenantsFile.read(dir.resolve("absent.json"), problems);
        assertOneProblem(problems, "the tenants file " + dir.resolve("absent.json") + " (gateway.tenants-file) does not exist");
    }

    @Test
    void theFilesEnvironmentVariablesAreNotTakenForATenant() throws IOException {
        Path file = file(tenantsJson(tenant("initech", "initech-key", null, "initech-token")));
        SmallRyeConfig config = TenantConfigurationTest.builder()
                .withSources(new EnvConfigSource(Map.of("GATEWAY_TENANTS_FILE", file.toString(),
                        "GATEWAY_TENANTS_FILE_CHECK_INTERVAL", "2s"), 300) {
                })
                .build();
        GatewayConfig gateway = config.getConfigMapping(GatewayConfig.class);
        assertEquals(Optional.of(file.toString()), gateway.tenantsFile());
        assertEquals(Duration.ofSeconds(2), gateway.tenantsFileCheckInterval());
        assertEquals(Map.of(), gateway.tenants());
        assertEquals("initech", new TenantRegistry(gateway, Optional.of(FRONT_PAYMENT)).authenticate("initech-key").orElseThrow().tenant().id());
    }

    @Test
    void aNewVersionReplacesEveryTenantOrNone() throws IOException {
        Path file = file(tenantsJson(tenant("initech", "initech-key", null, "initech-token")));
        TenantRegistry registry = registry(file, Map.of());
        Authenticated before = registry.authenticate("initech-key").orElseThrow();

        List<String> refused = registry.reload(tenantsJson(tenant("initech", "initech-key", null, "initech-token-2"),
                tenant("hooli", "hooli-key", null, "")).getBytes(StandardCharsets.UTF_8));
        assertEquals(1, refused.size(), refused::toString);
        assertEquals(before, registry.authenticate("initech-key").orElseThrow());
        assertFalse(registry.authenticate("hooli-key").isPresent());

        assertEquals(List.of(), registry.reload(tenantsJson(tenant("initech", "initech-key", null, "initech-token-2"))
                .getBytes(StandardCharsets.UTF_8)));
        assertEquals("initech-token-2", registry.authenticate("initech-key").orElseThrow().tenant().frontPaymentToken());
        // a request authenticated before keeps the tenant it started with
        assertEquals("initech-token", before.tenant().frontPaymentToken());
    }

    @Test
    void theFileGivesEachTenantItsCountriesAndBudgets() throws IOException {
        TenantRegistry registry = registry(file("""
                {"tenants": {"initech": {"api-key-sha256": "%s", "front-payment-token": "initech-token",
                                         "sms-countries": "NO,DK", "budget": {"sms-per-hour": 100, "email-per-day": "5000"}}}}
                """.formatted(sha256Hex("initech-key"))), Map.of());

        SendingRules rules = registry.authenticate("initech-key").orElseThrow().tenant().rules();
        assertEquals(Set.of("NO", "DK"), rules.smsCountries());
        assertEquals(List.of(new MessageBudget(MessageBudget.Channel.SMS, MessageBudget.Period.HOUR, 100),
                new MessageBudget(MessageBudget.Channel.EMAIL, MessageBudget.Period.DAY, 5000)), rules.budgets());
    }
}
