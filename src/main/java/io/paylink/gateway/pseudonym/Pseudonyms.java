package io.paylink.gateway.pseudonym;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import io.paylink.gateway.GatewayConfig;

/**
 * What the state store keeps in place of a phone number, an e-mail or a request's fingerprint: its
 * HMAC-SHA256 under {@code gateway.hash-secret}. A plain hash of a Norwegian mobile number is
 * reversed by hashing the whole number space (about 10^7 values); without the secret, a keyed one
 * cannot be. While a rotation runs, {@code gateway.hash-secret-previous} gives every value a second
 * pseudonym, so that what instances with only the old secret wrote is still found
 * (docs/configuration.md, "Rotating the hash secret").
 */
@ApplicationScoped
public class Pseudonyms {

    static final String SECRET = "gateway.hash-secret";
    static final String PREVIOUS = "gateway.hash-secret-previous";
    private static final String SECRET_ENV = "GATEWAY_HASH_SECRET";
    private static final String PREVIOUS_ENV = "GATEWAY_HASH_SECRET_PREVIOUS";
    /** The HMAC-SHA256 key size: a shorter secret is easier to guess than the hash is to break. */
    static final int MIN_BYTES = 32;
    /** Only to catch the obviously made-up ("aaaa...", "0000..."); any random secret has far more. */
    private static final int MIN_DISTINCT_CHARACTERS = 8;
    private static final String ALGORITHM = "HmacSHA256";

    /** A Mac is not thread-safe and costly to set up: one per thread and secret. */
    private final ThreadLocal<Mac> current;
    private final Optional<ThreadLocal<Mac>> previous;

    Pseudonyms(GatewayConfig config) {
        List<String> problems = problems(config.hashSecret(), config.hashSecretPrevious());
        if (!problems.isEmpty()) {
            // TenantRegistry stops the start on these, so only a bean created outside the application gets here
            throw new IllegalStateException(String.join("; ", problems));
        }
        this.current = macs(config.hashSecret().orElseThrow());
        this.previous = given(config.hashSecretPrevious()).map(Pseudonyms::macs);
    }

    /** The value's pseudonym under the current secret and, while a rotation runs, under the previous one. */
    public Pseudonym of(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return new Pseudonym(hex(current, bytes), previous.map(macs -> hex(macs, bytes)).orElse(null));
    }

    /**
     * One line per problem with the two settings, naming the environment variable and never the
     * value; empty when they are fine. Required in every profile: dev and test set a fake one.
     */
    public static List<String> problems(Optional<String> secret, Optional<String> previous) {
        List<String> problems = new ArrayList<>();
        String fix = ": set it to a random secret of at least " + MIN_BYTES + " bytes, e.g. the output of `openssl rand -base64 48`, "
                + "from a secret store; phone numbers, e-mails and request fingerprints are stored as HMAC-SHA256 under it";
        Optional<String> set = given(secret);
        if (set.isEmpty()) {
            problems.add(SECRET_ENV + " (" + SECRET + ") is not set" + fix);
        } else if (weak(set.get())) {
            problems.add(SECRET_ENV + " (" + SECRET + ") is too weak (under " + MIN_BYTES + " bytes, or a few characters repeated)" + fix);
        }
        Optional<String> old = given(previous);
        if (old.isPresent() && weak(old.get())) {
            problems.add(PREVIOUS_ENV + " (" + PREVIOUS + ") is too weak (under " + MIN_BYTES + " bytes, or a few characters repeated): "
                    + "set it to the secret " + SECRET_ENV + " had before the rotation, or unset it");
        } else if (old.isPresent() && old.equals(set)) {
            problems.add(PREVIOUS_ENV + " (" + PREVIOUS + ") is the same as " + SECRET_ENV
                    + ": set it to the secret " + SECRET_ENV + " had before the rotation, or unset it");
        }
        return problems;
    }

    /** Whether a previous secret is set, that is, a rotation is in progress. */
    public static boolean rotating(Optional<String> previous) {
        return given(previous).isPresent();
    }

    /** An empty variable counts as unset: manifests often keep the name with no value. */
    private static Optional<String> given(Optional<String> secret) {
        return secret.filter(value -> !value.isEmpty());
    }

    private static boolean weak(String secret) {
        return secret.getBytes(StandardCharsets.UTF_8).length < MIN_BYTES || secret.chars().distinct().count() < MIN_DISTINCT_CHARACTERS;
    }

    private static ThreadLocal<Mac> macs(String secret) {
        SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        return ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance(ALGORITHM);
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is required by every Java runtime", e);
            }
        });
    }

    private static String hex(ThreadLocal<Mac> macs, byte[] value) {
        // doFinal resets the Mac for the next value on this thread
        return HexFormat.of().formatHex(macs.get().doFinal(value));
    }
}
