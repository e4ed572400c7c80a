package io.paylink.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The same owner-token scenario for every store. */
final class OwnerTokens {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration LONG = Duration.ofMinutes(1);

    private OwnerTokens() {
    }

    /**
     * A request whose claim expired (its gateway stalled past the in-flight TTL) finishes after
     * another request claimed the key anew: its late answer must neither replace nor free the newer claim.
     */
    static void aLateFinisherCanNeitherSaveOverNorReleaseTheNewerClaim(StateStore store) throws InterruptedException {
        String key = "idem:late:" + UUID.randomUUID();
        IdempotencyRecord late = IdempotencyRecord.inFlight("late-owner", "fp");
        IdempotencyRecord newer = IdempotencyRecord.inFlight("newer-owner", "fp");
        IdempotencyRecord.Answer accepted = new IdempotencyRecord.Answer(202, null, null, null);
        IdempotencyRecord.Answer notFound = new IdempotencyRecord.Answer(404, "ORDER_NOT_FOUND", "not found", List.of());
        assertTrue(claim(store, key, late, Duration.ofMillis(100)).isEmpty());
        for (int polls = 0; claim(store, key, newer, LONG).isPresent(); polls++) {
            assertTrue(polls < 500, "the first claim never expired");
            Thread.sleep(20);
        }

        assertFalse(store.save("t", key, late.completedWith(accepted), LONG).await().atMost(WAIT));
        assertFalse(store.release("t", key, late.owner()).await().atMost(WAIT));
        assertEquals(Optional.of(newer), claim(store, key, IdempotencyRecord.inFlight("third", "fp"), LONG));

        assertTrue(store.save("t", key, newer.completedWith(notFound), LONG).await().atMost(WAIT));
        assertFalse(store.release("t", key, late.owner()).await().atMost(WAIT));
        assertEquals(Optional.of(newer.completedWith(notFound)), claim(store, key, IdempotencyRecord.inFlight("third", "fp"), LONG));
    }

    private static Optional<IdempotencyRecord> claim(StateStore store, String key, IdempotencyRecord record, Duration ttl) {
        return store.claim("t", key, record, ttl).await().atMost(WAIT);
    }
}
