package io.paylink.gateway.guard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.paylink.gateway.GatewayConfig;
import io.paylink.gateway.outcome.Outcome;
import io.paylink.gateway.problem.ProblemCode;
import io.paylink.gateway.problem.Violation;
import io.paylink.gateway.pseudonym.Pseudonym;
import io.paylink.gateway.pseudonym.Pseudonyms;
import io.paylink.gateway.store.IdempotencyRecord;
import io.paylink.gateway.store.StateStore;
import io.paylink.gateway.tenant.Tenant;
import io.paylink.gateway.upstream.ResendBody;
import io.smallrye.mutiny.Uni;

/**
 * {@code Idempotency-Key}: per tenant, kept for the retention time. The key is claimed before the
 * call, so N concurrent copies cause one call; every outcome that may have reached Front Payment
 * is kept, so that no retry with the key can send a second message.
 * <p>
 * The gateway itself may die or lose its store at any point, so a claim is a lease: long enough for
 * the call's worst case, and marked "sending" just before the call leaves. A lapsed lease that was
 * never marked proves nothing was sent and the key may be claimed anew; a lapsed lease that was
 * marked becomes {@code UPSTREAM_OUTCOME_UNKNOWN} for the rest of the retention time, never a fresh send.
 */
@ApplicationScoped
public class Idempotency {

    private static final Logger LOG = Logger.getLogger(Idempotency.class);
    private static final Pattern VALID_KEY = Pattern.compile("[\\x20-\\x7E]{1,255}");
    static final IdempotencyRecord.Answer OUTCOME_UNKNOWN = new IdempotencyRecord.Answer(
            ProblemCode.UPSTREAM_OUTCOME_UNKNOWN.status(), ProblemCode.UPSTREAM_OUTCOME_UNKNOWN.name(),
            "An earlier request with this Idempotency-Key may have sent the link, but the gateway lost its outcome; "
                    + "send again with a new Idempotency-Key if another link is wanted",
            List.of());

    private final StateStore store;
    private final Pseudonyms pseudonyms;
    private final Duration retention;
    private final Duration lease;

    Idempotency(StateStore store, Pseudonyms pseudonyms, GatewayConfig config) {
        this.store = store;
        this.pseudonyms = pseudonyms;
        this.retention = config.idempotency().retention();
        this.lease = lease(config);
    }

    /**
     * The longest a living holder can take from claim or mark to its saved outcome: every attempt
     * at its time-out, the back-off between them (capped at one second each, see
     * UpstreamFaultTolerance), one store call for the save, and a second of slack for a busy machine.
     */
    static Duration lease(GatewayConfig config) {
        GatewayConfig.Upstream upstream = config.upstream();
        int retries = upstream.retry().maxRetries();
        return upstream.timeout().multipliedBy(retries + 1L)
                .plus(Duration.ofSeconds(1).plus(upstream.retry().jitter()).multipliedBy(retries))
                .plus(config.storeTimeout())
                .plusSeconds(1);
    }

    public Duration lease() {
        return lease;
    }

    /** A 400 when the header is not 1-255 printable ASCII characters. */
    public Optional<Outcome> rejectIfInvalid(String idempotencyKey) {
        if (VALID_KEY.matcher(idempotencyKey).matches()) {
            return Optional.empty();
        }
        return Optional.of(new Outcome.Rejected(Outcome.Answer.problem(ProblemCode.MALFORMED_REQUEST,
                "Idempotency-Key must be 1 to 255 printable ASCII characters")));
    }

    /**
     * The store key, within the tenant's part of the store; the header value itself is never stored.
     * A plain hash, not a keyed one: the key is a token the caller made up (docs/api.md asks for a
     * random one), not a contact, so there is nothing to guess from its hash; and a key whose name
     * changed with the hash secret would, during a rotation, let a retry on an instance with the
     * other secret miss the record and send a second time. The contacts are in the fingerprint, which is keyed.
     */
    public String key(String idempotencyKey) {
        return "idem:" + sha256(idempotencyKey);
    }

    /** Same order and same normalised contacts: "+47 912 34 567" and "+4791234567" are one request. */
    public Pseudonym fingerprint(String orderUuid, ResendBody body) {
        return pseudonyms.of(fingerprinted(orderUuid, body));
    }

    private static String fingerprinted(String orderUuid, ResendBody body) {
        return orderUuid + "\n" + body.countryCode() + "\n" + body.msisdn() + "\n" + body.email();
    }

    /**
     * Empty when {@code owner} now holds the key; otherwise what holds it. When the store fails, the
     * claim may still have landed (unless it was refused as full, or never left this instance): it is
     * freed in the background once the store answers again, so that the retry the caller is invited
     * to make runs for real.
     */
    public Uni<Optional<StateStore.Held>> claim(Tenant tenant, String key, String owner, Pseudonym fingerprint) {
        return store.claim(tenant.id(), key, inFlight(owner, fingerprint), lease, retention, OUTCOME_UNKNOWN)
                .onFailure(Stores::mayHaveLanded).invoke(() -> Stores.settleInBackground(() -> store.release(tenant.id(), key, owner),
                        lease, "freeing an Idempotency-Key whose claim failed"));
    }

    /**
     * The last check before the call leaves: marks the claim as sending. Empty when the call may go;
     * otherwise the outcome to answer instead, with nothing sent: the claim lapsed while the call
     * waited and a copy of the request holds the key now, or the store failed.
     */
    public Uni<Optional<Outcome>> beforeSend(Tenant tenant, String key, String owner) {
        // deferred: the mark must be made when the call gets its place, not when the guards are assembled
        // (the memory store acts as soon as it is called)
        return Uni.createFrom().deferred(() -> store.markSending(tenant.id(), key, owner, lease))
                .map(marked -> marked ? Optional.<Outcome>empty() : Optional.<Outcome>of(new Outcome.NotSent(inUse(lease), 0)))
                .onFailure().recoverWithItem(failure -> Optional.of(Stores.unavailable(failure)));
    }

    /** What a request finds when another one holds its key. */
    public Outcome replay(StateStore.Held held, Pseudonym fingerprint, String orderUuid, ResendBody body) {
        IdempotencyRecord record = held.record();
        if (!fingerprint.sameValueAs(record.fingerprint(), record.previousFingerprint())
                && !writtenBeforeKeyedHashes(record, orderUuid, body)) {
            return new Outcome.Rejected(Outcome.Answer.problem(ProblemCode.IDEMPOTENCY_KEY_MISMATCH,
                    "This Idempotency-Key was used for a different order or body"));
        }
        if (!record.completed()) {
            return new Outcome.Rejected(inUse(held.leaseLeft()));
        }
        IdempotencyRecord.Answer stored = record.answer();
        return new Outcome.Replayed(stored.code() == null ? Outcome.Answer.ACCEPTED
                : new Outcome.Answer(ProblemCode.valueOf(stored.code()), stored.detail(), stored.violations(), null));
    }

    /**
     * Versions before the hash secret stored the fingerprint as a plain SHA-256 of the same input: a
     * retry across the upgrade gets the answer stored before it, not 422 IDEMPOTENCY_KEY_MISMATCH.
     * Read, never written; such records expire one retention after the upgrade, and this with them
     * in the release after.
     */
    private static boolean writtenBeforeKeyedHashes(IdempotencyRecord record, String orderUuid, ResendBody body) {
        return record.previousFingerprint() == null && sha256(fingerprinted(orderUuid, body)).equals(record.fingerprint());
    }

    /** Retry-After: when the holder's lease runs out, the key answers for good (a stored or unknown outcome, or a free key). */
    private static Outcome.Answer inUse(Duration leaseLeft) {
        Duration retryAfter = Duration.ofSeconds(Math.max(1, (leaseLeft.toMillis() + 999) / 1000));
        return Outcome.Answer.problem(ProblemCode.IDEMPOTENCY_KEY_IN_USE,
                "A request with this Idempotency-Key is still in progress", retryAfter);
    }

    /**
     * Keeps every outcome that may have reached Front Payment for the retention time, and frees the
     * key after one that provably did not (so that a retry runs for real). Only the claim's owner
     * can do either: a request whose claim lapsed meanwhile leaves a newer claim alone. The caller
     * gets the outcome at once; when the store fails, the write is retried in the background for one
     * lease, copies meanwhile getting 409 with the lease's Retry-After. If it never lands, the lapsed
     * lease becomes the unknown-outcome answer: never a fresh send.
     */
    public Uni<Void> finish(Tenant tenant, String key, String owner, Pseudonym fingerprint, Outcome outcome, ResendBody body) {
        Supplier<Uni<Boolean>> write;
        if (outcome.mayHaveReachedFrontPayment()) {
            Outcome.Answer answer = outcome.answer();
            IdempotencyRecord.Answer stored = new IdempotencyRecord.Answer(answer.status(),
                    answer.code() == null ? null : answer.code().name(), answer.detail(), withoutContacts(answer.violations(), body));
            IdempotencyRecord completed = inFlight(owner, fingerprint).completedWith(stored);
            write = () -> store.save(tenant.id(), key, completed, retention);
        } else {
            write = () -> store.release(tenant.id(), key, owner);
        }
        return write.get().invoke(done -> {
            if (!done) {
                LOG.warnf("The claim of an Idempotency-Key of tenant %s lapsed before its outcome %s was known; "
                        + "it was not stored", tenant.id(), outcome.code());
            }
        }).onFailure().recoverWithItem(failure -> {
            LOG.errorf("State store failed recording the outcome %s of an Idempotency-Key of tenant %s (%s); retrying in the background",
                    outcome.code(), tenant.id(), failure.getClass().getSimpleName());
            Stores.settleInBackground(write, lease, "recording the outcome " + outcome.code() + " of an Idempotency-Key of tenant " + tenant.id());
            return true;
        }).replaceWithVoid();
    }

    private static IdempotencyRecord inFlight(String owner, Pseudonym fingerprint) {
        return IdempotencyRecord.inFlight(owner, fingerprint.current(), fingerprint.previous());
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

    /** Hex SHA-256: store keys never hold an Idempotency-Key in clear. */
    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
