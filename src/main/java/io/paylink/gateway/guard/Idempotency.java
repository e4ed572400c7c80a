package io.paylink.gateway.guard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.paylink.gateway.GatewayConfig;
import io.paylink.gateway.problem.ProblemCode;
import io.paylink.gateway.problem.ProblemException;
import io.paylink.gateway.store.IdempotencyRecord;
import io.paylink.gateway.store.StateStore;
import io.paylink.gateway.tenant.Tenant;
import io.paylink.gateway.upstream.ResendBody;
import io.paylink.gateway.upstream.UpstreamFailure;
import io.smallrye.mutiny.Uni;

/**
 * {@code Idempotency-Key} as CONTRACT.md defines it: per tenant, 24 h, replaying only answers that
 * Front Payment itself gave. While the first request is in flight the key is claimed, so N
 * concurrent copies cause one upstream call.
 */
@ApplicationScoped
public class Idempotency {

    private static final Pattern VALID_KEY = Pattern.compile("[\\x20-\\x7E]{1,255}");
    private static final Duration IN_FLIGHT_RETRY_AFTER = Duration.ofSeconds(1);

    private final StateStore store;
    private final Duration retention;
    /** Outlives every upstream attempt with its retries, but frees a key whose holder died. */
    private final Duration inFlightTtl;

    Idempotency(StateStore store, GatewayConfig config) {
        this.store = store;
        this.retention = config.idempotency().retention();
        Duration fourTimeouts = config.upstream().timeout().multipliedBy(4);
        this.inFlightTtl = fourTimeouts.compareTo(Duration.ofMinutes(1)) > 0 ? fourTimeouts : Duration.ofMinutes(1);
    }

    /** The store key: the same header value from two tenants is two keys. */
    public String key(Tenant tenant, String idempotencyKey) {
        if (!VALID_KEY.matcher(idempotencyKey).matches()) {
            throw new ProblemException(ProblemCode.MALFORMED_REQUEST, "Idempotency-Key must be 1 to 255 printable ASCII characters");
        }
        return "idem:" + sha256(idempotencyKey);
    }

    /** Same order and same normalised contacts: "+47 912 34 567" and "+4791234567" are one request. */
    public String fingerprint(String orderUuid, ResendBody body) {
        return sha256(orderUuid + "\n" + body.countryCode() + "\n" + body.msisdn() + "\n" + body.email());
    }

    /** Empty when this request now holds the key; otherwise what holds it. */
    public Uni<Optional<IdempotencyRecord>> claim(Tenant tenant, String key, String owner, String fingerprint) {
        return Stores.failClosed(store.claim(tenant.id(), key, IdempotencyRecord.inFlight(owner, fingerprint), inFlightTtl));
    }

    /** Completes for a replayed 202, fails with the replayed or conflicting problem otherwise. */
    public Uni<Void> replay(IdempotencyRecord held, String fingerprint) {
        if (!held.fingerprint().equals(fingerprint)) {
            return Uni.createFrom().failure(new ProblemException(ProblemCode.IDEMPOTENCY_KEY_MISMATCH,
                    "This Idempotency-Key was used for a different order or body"));
        }
        if (!held.completed()) {
            return Uni.createFrom().failure(new ProblemException(ProblemCode.IDEMPOTENCY_KEY_IN_USE,
                    "A request with this Idempotency-Key is still in progress", List.of(), IN_FLIGHT_RETRY_AFTER));
        }
        IdempotencyRecord.Answer answer = held.answer();
        if (answer.code() == null) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().failure(new ProblemException(ProblemCode.valueOf(answer.code()), answer.detail(),
                answer.violations() == null ? List.of() : answer.violations(), null));
    }

    /**
     * Keeps Front Payment's own final answer for the retention time; frees the key after anything
     * else (time-outs, 5xx, rate limits, local rejections) so that a later retry runs for real.
     */
    public Uni<Void> finish(Tenant tenant, String key, String owner, String fingerprint, Throwable failure) {
        IdempotencyRecord.Answer answer = null;
        if (failure == null) {
            answer = new IdempotencyRecord.Answer(202, null, null, null);
        } else if (failure instanceof UpstreamFailure upstream && upstream.isBusinessAnswer()) {
            answer = new IdempotencyRecord.Answer(upstream.code().status(), upstream.code().name(), upstream.getMessage(),
                    upstream.violations());
        }
        Uni<Void> write = (answer == null ? store.release(tenant.id(), key, owner)
                : store.save(tenant.id(), key, new IdempotencyRecord(owner, fingerprint, answer), retention)).replaceWithVoid();
        // Front Payment has answered: the caller gets that answer even if remembering it failed.
        return Stores.logAndIgnore(write, "could not record the idempotent answer");
    }

    /** Hex SHA-256: store keys never hold an Idempotency-Key, a phone number or an e-mail in clear. */
    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
