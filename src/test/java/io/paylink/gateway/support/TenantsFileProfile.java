package io.paylink.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The test tenants of application.properties plus those of a tenants file, which the tests edit
 * while the gateway runs; it is checked every 50 ms. The file starts with tenant "initech".
 */
public class TenantsFileProfile implements QuarkusTestProfile {

    public static final String INITECH_KEY = "initech-file-key";
    public static final String INITECH_TOKEN = "initech-file-token";
    public static final Path FILE = create();

    private static Path create() {
        try {
            Path dir = Files.createTempDirectory("tenants-file-test");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve("tenants.json");
            Files.writeString(file, tenantsJson(tenant("initech", INITECH_KEY, null, INITECH_TOKEN)));
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("gateway.tenants-file", FILE.toString(), "gateway.tenants-file-check-interval", "50ms");
    }

    /** Replaces the file the way a secret mount or a careful operator does: a new file moved over the old one. */
    public static void write(String content) throws IOException {
        Path next = FILE.resolveSibling("tenants.json.next");
        Files.writeString(next, content);
        Files.move(next, FILE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static String tenantsJson(String... tenants) {
        return "{\"tenants\": {" + String.join(",\n", tenants) + "}}";
    }

    /** One tenant's entry; {@code secondaryKey} may be null. */
    public static String tenant(String id, String primaryKey, String secondaryKey, String token) {
        return "\"" + id + "\": {\"api-key-sha256\": \"" + sha256Hex(primaryKey) + "\", "
                + (secondaryKey == null ? "" : "\"api-key-sha256-secondary\": \"" + sha256Hex(secondaryKey) + "\", ")
                + "\"front-payment-token\": \"" + token + "\"}";
    }

    public static String sha256Hex(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
