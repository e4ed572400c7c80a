package io.paylink.gateway.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Front Payment over HTTPS: tenant "untrusted" talks to a WireMock with WireMock's own self-signed
 * certificate, which the gateway does not trust; tenant "trusted" to one whose certificate, made
 * for this run, is in the trust store configured on the named REST client; tenant "renegotiating"
 * to a {@link RenegotiatingServer} with that same certificate; tenant "plaintext" to the untrusted
 * WireMock's plain HTTP port with an https URL.
 */
public class TlsFrontPayment implements QuarkusTestResourceLifecycleManager {

    public static final String UNTRUSTED_KEY = "untrusted-test-key";
    public static final String TRUSTED_KEY = "trusted-test-key";
    public static final String RENEGOTIATING_KEY = "renegotiating-test-key";
    public static final String PLAINTEXT_KEY = "plaintext-test-key";
    // a key pair made for one test run and deleted after it; the password guards nothing
    public static final String PASSWORD = "test-only-not-secret";

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Untrusted {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Trusted {
    }

    private Path dir;
    private WireMockServer untrusted;
    private WireMockServer trusted;
    private RenegotiatingServer renegotiating;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("tls-front-payment");
            Path serverKeys = dir.resolve("front-payment.p12");
            Path trustStore = dir.resolve("trust.p12");
            generateKeyPair(serverKeys);
            writeTrustStore(serverKeys, trustStore);

            // its plain HTTP port is where tenant "plaintext" wrongly expects TLS
            untrusted = new WireMockServer(wireMockConfig().dynamicPort().dynamicHttpsPort().bindAddress("127.0.0.1"));
            untrusted.start();
            trusted = new WireMockServer(wireMockConfig().httpDisabled(true).dynamicHttpsPort().bindAddress("127.0.0.1")
                    .keystorePath(serverKeys.toString()).keystoreType("PKCS12")
                    .keystorePassword(PASSWORD).keyManagerPassword(PASSWORD));
            trusted.start();
            renegotiating = new RenegotiatingServer(load(serverKeys), PASSWORD.toCharArray());
            return Map.ofEntries(
                    Map.entry("quarkus.rest-client.front-payment.trust-store", trustStore.toString()),
                    Map.entry("quarkus.rest-client.front-payment.trust-store-password", PASSWORD),
                    Map.entry("quarkus.rest-client.front-payment.trust-store-type", "PKCS12"),
                    // sha256("untrusted-test-key")
                    Map.entry("gateway.tenants.untrusted.api-key-sha256", "97bb9a4c88d921279e6333fe3581ad07c5e8fa94ee8c4dc5172b5fe74e32dac1"),
                    Map.entry("gateway.tenants.untrusted.front-payment-token", "untrusted-test-token"),
                    Map.entry("gateway.tenants.untrusted.front-payment-url", "https://127.0.0.1:" + untrusted.httpsPort()),
                    // sha256("trusted-test-key")
                    Map.entry("gateway.tenants.trusted.api-key-sha256", "47bdff791a0fa0c40f50cfb55a8cb3fe1639ff13cc855fbd87ab5b1daa42485d"),
                    Map.entry("gateway.tenants.trusted.front-payment-token", "trusted-test-token"),
                    Map.entry("gateway.tenants.trusted.front-payment-url", "https://127.0.0.1:" + trusted.httpsPort()),
                    // sha256("renegotiating-test-key")
                    Map.entry("gateway.tenants.renegotiating.api-key-sha256", "1f3667f5fcb8c202bc88cbe37ecd011fdd695b3aa5e81534d4c3f283ce4964fa"),
                    Map.entry("gateway.tenants.renegotiating.front-payment-token", "renegotiating-test-token"),
                    Map.entry("gateway.tenants.renegotiating.front-payment-url", "https://127.0.0.1:" + renegotiating.port()),
                    // sha256("plaintext-test-key")
                    Map.entry("gateway.tenants.plaintext.api-key-sha256", "726fababe284cae5a30c1f0400608fa5e618871415823cb9e39cc5e7ff07a2bc"),
                    Map.entry("gateway.tenants.plaintext.front-payment-token", "plaintext-test-token"),
                    Map.entry("gateway.tenants.plaintext.front-payment-url", "https://127.0.0.1:" + untrusted.port()));
        } catch (Exception e) {
            throw new IllegalStateException("could not set up Front Payment over HTTPS", e);
        }
    }

    /**
     * A self-signed key pair for 127.0.0.1 in {@code keyStore} (PKCS12, {@link #PASSWORD}). keytool,
     * because the JDK has no public API to sign a certificate.
     */
    public static void generateKeyPair(Path keyStore) throws IOException, InterruptedException {
        Path keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "front-payment",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException("keytool failed: " + output);
        }
    }

    private static KeyStore load(Path keyStore) throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        return keys;
    }

    /** A PKCS12 trust store ({@link #PASSWORD}) holding the certificate of {@link #generateKeyPair}. */
    public static void writeTrustStore(Path keyStore, Path trustStore) throws IOException, GeneralSecurityException {
        KeyStore keys = load(keyStore);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("front-payment", keys.getCertificate("front-payment"));
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            trust.store(out, PASSWORD.toCharArray());
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(untrusted, new TestInjector.AnnotatedAndMatchesType(Untrusted.class, WireMockServer.class));
        injector.injectIntoFields(trusted, new TestInjector.AnnotatedAndMatchesType(Trusted.class, WireMockServer.class));
        injector.injectIntoFields(renegotiating, new TestInjector.MatchesType(RenegotiatingServer.class));
    }

    @Override
    public void stop() {
        if (untrusted != null) {
            untrusted.stop();
        }
        if (trusted != null) {
            trusted.stop();
        }
        if (renegotiating != null) {
            try {
                renegotiating.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
