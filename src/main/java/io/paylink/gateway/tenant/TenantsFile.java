package io.paylink.gateway.tenant;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.paylink.gateway.GatewayConfig.BudgetConfig;
import io.paylink.gateway.GatewayConfig.TenantConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The tenants file ({@code gateway.tenants-file}): one JSON document with every tenant's settings,
 * named as in {@code gateway.tenants."<id>".*}. It is read here rather than through SmallRye Config,
 * whose mapping of a map scans every configured property once per entry.
 *
 * <pre>
 * {"tenants": {"acme": {"api-key-sha256": "...", "api-key-sha256-secondary": "...",
 *                       "front-payment-token": "...", "front-payment-url": "https://...",
 *                       "sms-countries": "NO,SE", "budget": {"sms-per-hour": "100", "sms-per-day": "1000"}}}}
 * </pre>
 */
final class TenantsFile {

    /** Ids become metric labels and log fields: short, and nothing that could forge a log line. */
    private static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    /** Field names are echoed in problems only when they look like one. */
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String FIELDS = "api-key-sha256, api-key-sha256-secondary, front-payment-token, front-payment-url, "
            + "sms-countries, budget (sms-per-hour, sms-per-day, email-per-hour, email-per-day)";
    private static final FileBudget NO_BUDGET = new FileBudget(null, null, null, null);

    private static final ObjectReader READER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION) // a tenant listed twice is a mistake, not "the last wins"
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .readerFor(Document.class);

    @RegisterForReflection // read by Jackson through reflection, which a native image must be told about
    record Document(Map<String, FileTenant> tenants) {
    }

    /** One tenant's entry. Plain strings, checked by {@link TenantDirectory} like the environment's. */
    @RegisterForReflection
    record FileTenant(
            @JsonProperty("api-key-sha256") String primaryKeyHash,
            @JsonProperty("api-key-sha256-secondary") String secondaryKeyHash,
            @JsonProperty("front-payment-token") String token,
            @JsonProperty("front-payment-url") String url,
            @JsonProperty("sms-countries") String countries,
            @JsonProperty("budget") FileBudget budgetLimits) implements TenantConfig {

        @Override
        public Optional<String> apiKeySha256() {
            return Optional.ofNullable(primaryKeyHash);
        }

        @Override
        public Optional<String> apiKeySha256Secondary() {
            return Optional.ofNullable(secondaryKeyHash);
        }

        @Override
        public Optional<String> frontPaymentToken() {
            return Optional.ofNullable(token);
        }

        @Override
        public Optional<String> frontPaymentUrl() {
            return Optional.ofNullable(url);
        }

        @Override
        public Optional<String> smsCountries() {
            return Optional.ofNullable(countries);
        }

        @Override
        public BudgetConfig budget() {
            return budgetLimits == null ? NO_BUDGET : budgetLimits;
        }

        /** Records print every component; the token must never reach a log line this way. */
        @Override
        public String toString() {
            return "FileTenant";
        }
    }

    /** A tenant's "budget" object; numbers are taken as written, like the environment's strings. */
    @RegisterForReflection
    record FileBudget(
            @JsonProperty("sms-per-hour") String smsHour,
            @JsonProperty("sms-per-day") String smsDay,
            @JsonProperty("email-per-hour") String emailHour,
            @JsonProperty("email-per-day") String emailDay) implements BudgetConfig {

        @Override
        public Optional<String> smsPerHour() {
            return Optional.ofNullable(smsHour);
        }

        @Override
        public Optional<String> smsPerDay() {
            return Optional.ofNullable(smsDay);
        }

        @Override
        public Optional<String> emailPerHour() {
            return Optional.ofNullable(emailHour);
        }

        @Override
        public Optional<String> emailPerDay() {
            return Optional.ofNullable(emailDay);
        }
    }

    private TenantsFile() {
    }

    /** The file's bytes, or empty with the problem added. */
    static Optional<byte[]> read(Path path, List<String> problems) {
        if (!Files.exists(path)) {
            problems.add(name(path) + " does not exist: mount it there, or unset gateway.tenants-file");
            return Optional.empty();
        }
        // not Files.readAllBytes: it reads through a direct buffer the size of the file, which the JDK then
        // keeps for the thread, megabytes for ten thousand tenants; FileInputStream reads into the array
        try (InputStream in = new FileInputStream(path.toFile())) {
            return Optional.of(in.readAllBytes());
        } catch (IOException e) {
            // the exception's type says enough; its message may not be ours to log
            problems.add(name(path) + " cannot be read (" + e.getClass().getSimpleName() + "): make it readable by the gateway");
            return Optional.empty();
        }
    }

    /**
     * The tenants of the file, each problem added; they are only usable when there are none. Empty when
     * not even the list of tenants could be read.
     */
    static Optional<TenantSource> parse(Path path, byte[] content, List<String> problems) {
        Document document;
        try {
            document = READER.readValue(content);
        } catch (IOException e) {
            problems.add(name(path) + " is not a tenants file: " + whatIsWrong(e) + "; see docs/configuration.md");
            return Optional.empty();
        }
        if (document == null || document.tenants() == null) {
            problems.add(name(path) + " has no \"tenants\" object: write {\"tenants\": {\"<id>\": {...}}}");
            return Optional.empty();
        }
        int position = 0;
        for (Iterator<Map.Entry<String, FileTenant>> tenants = document.tenants().entrySet().iterator(); tenants.hasNext();) {
            Map.Entry<String, FileTenant> tenant = tenants.next();
            position++;
            if (!TENANT_ID.matcher(tenant.getKey()).matches()) {
                // not echoed: an id that breaks the rule might break a log line too
                problems.add(name(path) + ": the id of tenant number " + position
                        + " is not 1 to 64 lower-case letters, digits, '.', '_' or '-' starting with a letter or digit");
                tenants.remove();
            } else if (tenant.getValue() == null) {
                problems.add(name(path) + ": tenant \"" + tenant.getKey() + "\" is null: give it an object of settings");
                tenants.remove();
            }
        }
        return Optional.of(new TenantSource(name(path), document.tenants(),
                (id, field) -> "\"" + field + "\" of tenant \"" + id + "\" in " + name(path)));
    }

    static String name(Path path) {
        return "the tenants file " + path + " (gateway.tenants-file)";
    }

    /** Where and what, from the exception's structure: its message may quote the file, and the file holds tokens. */
    private static String whatIsWrong(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonParseException syntax) {
                // databind wraps the parser's own exception when it meets it inside a record
                return "not JSON, or a tenant or field named twice," + at(syntax);
            }
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            String field = unknown.getPropertyName();
            return (field != null && FIELD_NAME.matcher(field).matches() ? "unknown field \"" + field + "\"" : "an unknown field")
                    + in(unknown) + at(unknown) + " (a tenant's fields are " + FIELDS + ")";
        }
        if (e instanceof JsonMappingException mapping) {
            return "a value of the wrong type" + in(mapping) + at(mapping) + " (every setting is a string, budgets may be numbers, \"tenants\" and \"budget\" objects)";
        }
        return "it could not be read (" + e.getClass().getSimpleName() + ")";
    }

    private static String at(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String in(JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        if (path.size() >= 2 && "tenants".equals(path.get(0).getFieldName()) && path.get(1).getFieldName() != null
                && TENANT_ID.matcher(path.get(1).getFieldName()).matches()) {
            return " in tenant \"" + path.get(1).getFieldName() + "\"";
        }
        return "";
    }
}
