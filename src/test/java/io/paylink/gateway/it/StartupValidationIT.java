package io.paylink.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The packaged prod artifact started with a broken environment: it must stop with a non-zero exit
 * code and one ERROR line per problem naming the variable to fix, without a stack trace and
 * without echoing any configured value.
 */
class StartupValidationIT {

    private static final String VALID_HASH = "26929a0319d220d8845ab862ea110394becf4469495e3a57952a7d95d41a5200";
    private static final String SECRET_TOKEN = "it-secret-token-never-logged";
    private static final String NOT_A_HASH = "it-plain-api-key-never-logged";
    /** 31 bytes: one short of an HMAC-SHA256 key. */
    private static final String WEAK_HASH_SECRET = "weak-hash-secret-never-logged!!";
    /** Nothing is called: these starts stop before the first request. */
    private static final Map.Entry<String, String> FRONT_PAYMENT_URL = Map.entry("QUARKUS_REST_CLIENT_FRONT_PAYMENT_URL", "http://127.0.0.1:9");

    @Test
    void withoutAnyTenantTheStartFailsNamingTheVariablesToSet() throws InterruptedException {
        List<String> errors = failedStart(Map.ofEntries(Map.entry("QUARKUS_HTTP_PORT", "0"), FRONT_PAYMENT_URL, PackagedApp.HASH_SECRET));

        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).contains("GATEWAY_TENANTS__<ID>__API_KEY_SHA256"), errors.get(0));
        assertTrue(errors.get(0).contains("GATEWAY_TENANTS__<ID>__FRONT_PAYMENT_TOKEN"), errors.get(0));
    }

    @Test
    void everyBrokenTenantSettingIsOneLineNamingItsVariable() throws InterruptedException {
        List<String> errors = failedStart(Map.ofEntries(
                Map.entry("QUARKUS_HTTP_PORT", "0"),
                FRONT_PAYMENT_URL,
                PackagedApp.HASH_SECRET,
                Map.entry("GATEWAY_TENANTS__BADHASH__API_KEY_SHA256", NOT_A_HASH),
                Map.entry("GATEWAY_TENANTS__BADHASH__FRONT_PAYMENT_TOKEN", SECRET_TOKEN),
                Map.entry("GATEWAY_TENANTS__NOTOKEN__API_KEY_SHA256", "1".repeat(64)),
                Map.entry("GATEWAY_TENANTS__NOTOKEN__FRONT_PAYMENT_TOKEN", ""),
                Map.entry("GATEWAY_TENANTS__DUPA__API_KEY_SHA256", VALID_HASH),
                Map.entry("GATEWAY_TENANTS__DUPA__FRONT_PAYMENT_TOKEN", SECRET_TOKEN),
                Map.entry("GATEWAY_TENANTS__DUPB__API_KEY_SHA256", VALID_HASH),
                Map.entry("GATEWAY_TENANTS__DUPB__FRONT_PAYMENT_TOKEN", SECRET_TOKEN),
                Map.entry("GATEWAY_TENANTS__BADURL__API_KEY_SHA256", "2".repeat(64)),
                Map.entry("GATEWAY_TENANTS__BADURL__FRONT_PAYMENT_TOKEN", SECRET_TOKEN),
                Map.entry("GATEWAY_TENANTS__BADURL__FRONT_PAYMENT_URL", "ftp://127.0.0.1/never-logged")));

        assertEquals(4, errors.size(), errors::toString);
        assertOneLineNames(errors, "GATEWAY_TENANTS__BADHASH__API_KEY_SHA256 (gateway.tenants.\"badhash\".api-key-sha256) is not 64 hex characters");
        assertOneLineNames(errors, "GATEWAY_TENANTS__NOTOKEN__FRONT_PAYMENT_TOKEN (gateway.tenants.\"notoken\".front-payment-token) is empty");
        // whichever of the two comes second is named, with the other's variable
        assertOneLineNames(errors, "__API_KEY_SHA256 (gateway.tenants.\"dup");
        assertOneLineNames(errors, "is the same as tenant dup");
        assertOneLineNames(errors, "GATEWAY_TENANTS__BADURL__FRONT_PAYMENT_URL (gateway.tenants.\"badurl\".front-payment-url) is not an absolute http(s) URL");
    }

    @Test
    void aBrokenTenantsFileIsOneLinePerProblemNamingTenantAndField() throws Exception {
        Path file = Files.createTempFile("tenants", ".json");
        try {
            Files.writeString(file, """
                    {"tenants": {
                      "badhash": {"api-key-sha256": "%s", "front-payment-token": "%s"},
                      "notoken": {"api-key-sha256": "%s"},
                      "both": {"api-key-sha256": "%s", "front-payment-token": "%s"}
                    }}""".formatted(NOT_A_HASH, SECRET_TOKEN, "1".repeat(64), "2".repeat(64), SECRET_TOKEN));
            List<String> errors = failedStart(Map.ofEntries(
                    Map.entry("QUARKUS_HTTP_PORT", "0"),
                    FRONT_PAYMENT_URL,
                    PackagedApp.HASH_SECRET,
                    Map.entry("GATEWAY_TENANTS_FILE", file.toString()),
                    Map.entry("GATEWAY_TENANTS__BOTH__API_KEY_SHA256", VALID_HASH),
                    Map.entry("GATEWAY_TENANTS__BOTH__FRONT_PAYMENT_TOKEN", SECRET_TOKEN)));

            String where = " in the tenants file " + file + " (gateway.tenants-file)";
            assertEquals(3, errors.size(), errors::toString);
            assertOneLineNames(errors, "\"api-key-sha256\" of tenant \"badhash\"" + where + " is not 64 hex characters");
            assertOneLineNames(errors, "\"front-payment-token\" of tenant \"notoken\"" + where + " is empty or not set");
            assertOneLineNames(errors, "Tenant both is configured both in the environment or properties");
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void withoutTheFrontPaymentUrlTheStartFailsNamingItsVariable() throws InterruptedException {
        // the tenant's own URL does not make the global one optional (docs/configuration.md)
        List<String> errors = failedStart(Map.of(
                "QUARKUS_HTTP_PORT", "0",
                PackagedApp.HASH_SECRET.getKey(), PackagedApp.HASH_SECRET.getValue(),
                "GATEWAY_TENANTS__IT__API_KEY_SHA256", VALID_HASH,
                "GATEWAY_TENANTS__IT__FRONT_PAYMENT_TOKEN", SECRET_TOKEN,
                "GATEWAY_TENANTS__IT__FRONT_PAYMENT_URL", "http://127.0.0.1:9/never-logged"));

        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).startsWith("QUARKUS_REST_CLIENT_FRONT_PAYMENT_URL (quarkus.rest-client.front-payment.url) is not set"),
                errors.get(0));
    }

    @Test
    void withoutTheHashSecretTheStartFailsNamingItsVariable() throws InterruptedException {
        List<String> errors = failedStartWithHashSecret(Map.of());

        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).startsWith("GATEWAY_HASH_SECRET (gateway.hash-secret) is not set"), errors.get(0));
    }

    @Test
    void aWeakHashSecretStopsTheStartWithoutEchoingIt() throws InterruptedException {
        List<String> errors = failedStartWithHashSecret(Map.of("GATEWAY_HASH_SECRET", WEAK_HASH_SECRET));

        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).startsWith("GATEWAY_HASH_SECRET (gateway.hash-secret) is too weak"), errors.get(0));
    }

    /** Everything else in order: a valid tenant and the Front Payment URL. */
    private static List<String> failedStartWithHashSecret(Map<String, String> hashSecret) throws InterruptedException {
        Map<String, String> environment = new HashMap<>(hashSecret);
        environment.putAll(Map.of(
                "QUARKUS_HTTP_PORT", "0",
                FRONT_PAYMENT_URL.getKey(), FRONT_PAYMENT_URL.getValue(),
                "GATEWAY_TENANTS__IT__API_KEY_SHA256", VALID_HASH,
                "GATEWAY_TENANTS__IT__FRONT_PAYMENT_TOKEN", SECRET_TOKEN));
        return failedStart(environment);
    }

    /** Starts the app, which must fail; checks the whole output and returns the ERROR messages. */
    private static List<String> failedStart(Map<String, String> environment) throws InterruptedException {
        PackagedApp app = PackagedApp.start(environment);
        assertEquals(1, app.exitCode(), () -> String.join("\n", app.lines()));
        List<String> output = app.lines();
        String all = String.join("\n", output);
        assertFalse(all.contains("\tat "), all);
        assertFalse(all.contains("Exception"), all);
        assertFalse(all.contains("\"exception\""), all);
        assertFalse(all.contains("Failed to start"), all);
        for (String value : List.of(SECRET_TOKEN, NOT_A_HASH, VALID_HASH, "1".repeat(64), "2".repeat(64), "never-logged",
                PackagedApp.HASH_SECRET.getValue())) {
            assertFalse(all.contains(value), () -> "a configured value is in the output: " + all);
        }
        // besides the JSON log, one plain line: Quarkus printing the ConfigurationException's message
        List<String> plain = output.stream().filter(line -> !line.startsWith("{")).toList();
        assertEquals(1, plain.size(), all);
        assertTrue(plain.get(0).contains("logged above at ERROR"), all);
        List<JsonNode> log = JsonLog.parse(output.stream().filter(line -> line.startsWith("{")).toList());
        return log.stream().filter(entry -> entry.path("level").asText().equals("ERROR"))
                .map(entry -> entry.path("message").asText()).toList();
    }

    private static void assertOneLineNames(List<String> errors, String text) {
        assertEquals(1, errors.stream().filter(line -> line.contains(text)).count(), () -> text + " not in one line of " + errors);
    }
}
