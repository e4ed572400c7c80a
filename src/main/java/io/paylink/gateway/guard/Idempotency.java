package io.paylink.gateway.guard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.paylink.gateway.GatewayConfig;
import io.paylink.gateway.outcome.Outcome;
import io.paylink.gateway.problem.ProblemCode;
import io.paylink.gateway.problem.Violation;
import io.paylink.gateway.store.IdempotencyRecord;
import io.paylink.gateway.store.StateStore;
import io.paylink.gateway.tenant.Tenant;
import io.paylink.gateway.upstream.ResendBody;
import io.smallrye.mutiny.Uni;

/**
 * {@code Idempotency-Key}: per tenant, kept for the retention time. The key is claimed before the
 * call, so N concurrent copies cause one call; every outcome that may have reached Front Payment
 * is kept, so that no retry with the key can send a second message.
 */
@ApplicationScoped
public class Idempotency {

    private static final Logger LOG = Logger.getLogger(Idempotency.class);
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

    /** A 400 when the header is not 1-255 printable ASCII characters. */
    public Optional<Outcome> rejectIfInvalid(String idempotencyKey) {
        if (VALID_KEY.matcher(idempotencyKey).matches()) {
            return Optional.empty();
        }
        return Optional.of(new Outcome.Rejected(Outcome.Answer.problem(ProblemCode.MALFORMED_REQUEST,
                "Idempotency-Key must be 1 to 255 printable ASCII characters")));
    }

    /** The store key, within the tenant's part of the store; the header value itself is never stored. */
    public String key(String idempotencyKey) {
        return "idem:" + sha256(idempotencyKey);
    }

    /** Same order and same normalised contacts: "+47 912 34 567" and "+4791234567" are one request. */
    public String fingerprint(String orderUuid, ResendBody body) {
        return sha256(orderUuid + "\n" + body.countryCode() + "\n" + body.msisdn() + "\n" + body.email());
    }

    /** Empty when {@code owner} now holds the key; otherwise what holds it. Fails when the store does. */
    public Uni<Optional<IdempotencyRecord>> claim(Tenant tenant, String key, String owner, String fingerprint) {
        return store.claim(tenant.id(), key, IdempotencyRecord.inFlight(owner, fingerprint), inFlightTtl);
    }

    /** What a request finds when another one holds its key. */
    public Outcome replay(IdempotencyRecord held, String fingerprint) {
        if (!held.fingerprint().equals(fingerprint)) {
            return new Outcome.Rejected(Outcome.Answer.problem(ProblemCode.IDEMPOTENCY_KEY_MISMATCH,
                    "This Idempotency-Key was used for a different order or body"));
        }
        if (!held.completed()) {
            return new Outcome.Rejected(Outcome.Answer.problem(ProblemCode.IDEMPOTENCY_KEY_IN_USE,
                    "A request with this Idempotency-Key is still in progress", IN_FLIGHT_RETRY_AFTER));
        }
        IdempotencyRecord.Answer stored = held.answer();
        return new Outcome.Replayed(stored.code() == null ? Outcome.Answer.ACCEPTED
                : new Outcome.Answer(ProblemCode.valueOf(stored.code()), stored.detail(), stored.violations(), null));
    }

    /**
     * Keeps every outcome that may have reached Front Payment for the retention time, and frees the
     * key after one that provably did not (so that a retry runs for real). Only the claim's owner
     * can do either: a request whose claim expired meanwhile leaves a newer claim alone.
     */
    public Uni<Void> finish(Tenant tenant, String key, String owner, String fingerprint, Outcome outcome, ResendBody body) {
        Uni<Boolean> write;
        if (outcome.mayHaveReachedFrontPayment()) {
            Outcome.Answer answer = outcome.answer();
            IdempotencyRecord.Answer stored = new IdempotencyRecord.Answer(answer.status(),
                    answer.code() == null ? null : answer.code().name(), answer.detail(), withoutContacts(answer.violations(), body));
            write = store.save(tenant.id(), key, new IdempotencyRecord(owner, fingerprint, stored), retention);
        } else {
            write = store.release(tenant.id(), key, owner);
        }
        // the caller gets the outcome even if remembering it failed
        return Stores.logAndIgnore(write.invoke(done -> {
            if (!done) {
                LOG.warnf("The claim of an Idempotency-Key of tenant %s expired before its outcome %s was known; "
                        + "it was not stored", tenant.id(), outcome.code());
            }
        }), "could not record the outcome of an Idempotency-Key").replaceWithVoid();
    }

    /** Front Payment's field messages may quote the phone number or e-mail; stored records hold neither in clear. */
    private static List<Violation> withoutContacts(List<Violation> violations, ResendBody body) {
        if (violations.isEmpty()) {
            return violations;
        }
        List<String> contacts = Stream.of(body.msisdn(), body.email()).filter(c -> c != null && !c.isEmpty()).toList();
        return violations.stream().map(v -> {
            String message = v.message();
            for (String contact : contacts) {
                message = message.replace(contact, "***");
            }
            return new Violation(v.field(), message);
        }).toList();
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
