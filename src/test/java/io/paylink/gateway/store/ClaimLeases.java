package io.paylink.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import io.paylink.gateway.store.StateStore.Held;

/** The same lease and owner rules, checked on every store. */
final class ClaimLeases {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration LONG = Duration.ofMinutes(1);
    private static final Duration SHORT = Duration.ofMillis(100);
    static final IdempotencyRecord.Answer UNKNOWN = new IdempotencyRecord.Answer(502, "UPSTREAM_OUTCOME_UNKNOWN", "lost", List.of());
    private static final IdempotencyRecord.Answer ACCEPTED = new IdempotencyRecord.Answer(202, null, null, null);
    private static final IdempotencyRecord.Answer NOT_FOUND = new IdempotencyRecord.Answer(404, "ORDER_NOT_FOUND", "not found", List.of());

    private ClaimLeases() {
    }

    /**
     * A holder whose lease lapsed before it marked its send (it stalled, or died, before the call)
     * provably sent nothing: the key is claimed anew, and the late holder can then neither mark,
     * save over nor release the newer claim.
     */
    static void aLapsedClaimThatNeverSentIsTakenOverAndItsHolderLocksNothingOut(StateStore store) {
        String key = newKey();
        IdempotencyRecord late = IdempotencyRecord.inFlight("late-owner", "fp", null);
        assertTrue(claim(store, key, late, SHORT).isEmpty());
        awaitTrue(() -> claim(store, key, IdempotencyRecord.inFlight("newer-owner", "fp", null), LONG).isEmpty(),
                "the lapsed claim was never taken over");

        assertFalse(store.markSending("t", key, late.owner(), LONG).await().atMost(WAIT));
        assertFalse(store.save("t", key, late.completedWith(ACCEPTED), LONG).await().atMost(WAIT));
        assertFalse(store.release("t", key, late.owner()).await().atMost(WAIT));
        Held held = claim(store, key, IdempotencyRecord.inFlight("third", "fp", null), LONG).orElseThrow();
        assertEquals("newer-owner", held.record().owner());
        assertFalse(held.record().completed());

        assertTrue(store.save("t", key, IdempotencyRecord.inFlight("newer-owner", "fp", null).completedWith(NOT_FOUND), LONG).await().atMost(WAIT));
        assertEquals(NOT_FOUND, claim(store, key, IdempotencyRecord.inFlight("third", "fp", null), LONG).orElseThrow().record().answer());
    }

    /**
     * A holder whose lease lapsed after it marked its send may have reached Front Payment: the key
     * becomes the unknown outcome for good, never a free key, and the holder's late answer cannot
     * change that.
     */
    static void aLapsedClaimThatMarkedItsSendBecomesTheUnknownOutcome(StateStore store) {
        String key = newKey();
        IdempotencyRecord sender = IdempotencyRecord.inFlight("sender", "fp", null);
        assertTrue(claim(store, key, sender, LONG).isEmpty());
        assertTrue(store.markSending("t", key, sender.owner(), SHORT).await().atMost(WAIT));

        Held meanwhile = claim(store, key, IdempotencyRecord.inFlight("copy", "fp", null), LONG).orElseThrow();
        assertFalse(meanwhile.record().completed(), "in flight while its lease runs");
        assertTrue(meanwhile.leaseLeft().compareTo(SHORT) <= 0, () -> "lease left " + meanwhile.leaseLeft());

        awaitTrue(() -> claim(store, key, IdempotencyRecord.inFlight("copy", "fp", null), LONG).orElseThrow().record().completed(),
                "the lapsed sending claim never became an answer");
        assertEquals(UNKNOWN, claim(store, key, IdempotencyRecord.inFlight("copy", "fp", null), LONG).orElseThrow().record().answer());
        assertFalse(store.save("t", key, sender.completedWith(ACCEPTED), LONG).await().atMost(WAIT));
        assertFalse(store.release("t", key, sender.owner()).await().atMost(WAIT));
        assertEquals(UNKNOWN, claim(store, key, IdempotencyRecord.inFlight("copy", "fp", null), LONG).orElseThrow().record().answer());
    }

    /** A copy learns how long the holder's lease still runs: an honest Retry-After. */
    static void aCopyLearnsHowLongTheLeaseStillRuns(StateStore store) {
        String key = newKey();
        assertTrue(claim(store, key, IdempotencyRecord.inFlight("holder", "fp", null), Duration.ofSeconds(10)).isEmpty());
        Duration left = claim(store, key, IdempotencyRecord.inFlight("copy", "fp", null), LONG).orElseThrow().leaseLeft();
        assertTrue(left.compareTo(Duration.ofSeconds(8)) > 0 && left.compareTo(Duration.ofSeconds(10)) <= 0, () -> "lease left " + left);
    }

    /** The store lost the claim (a Redis restart without persistence): the outcome is still written, so no retry sends again. */
    static void anOutcomeWhoseClaimTheStoreLostIsStillStored(StateStore store) {
        String key = newKey();
        assertTrue(store.save("t", key, IdempotencyRecord.inFlight("holder", "fp", null).completedWith(ACCEPTED), LONG).await().atMost(WAIT));
        assertEquals(ACCEPTED, claim(store, key, IdempotencyRecord.inFlight("copy", "fp", null), LONG).orElseThrow().record().answer());
    }

    private static String newKey() {
        return "idem:lease:" + UUID.randomUUID();
    }

    private static Optional<Held> claim(StateStore store, String key, IdempotencyRecord record, Duration lease) {
        return store.claim("t", key, record, lease, LONG, UNKNOWN).await().atMost(WAIT);
    }

    private static void awaitTrue(Supplier<Boolean> condition, String failure) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.get()) {
            assertTrue(System.nanoTime() < deadline, failure);
            Thread.onSpinWait();
        }
    }
}
