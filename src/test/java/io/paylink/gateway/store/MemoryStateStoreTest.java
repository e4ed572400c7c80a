package io.paylink.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.paylink.gateway.store.StateStore.Counter;

class MemoryStateStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration TTL = Duration.ofMinutes(1);
    /** Past every entry's time-to-live. */
    private static final Duration LATER = TTL.plusSeconds(5);

    private final AtomicLong nanos = new AtomicLong();
    private final MemoryStateStore store = new MemoryStateStore(100);

    @Test
    void aLapsedClaimThatNeverSentIsTakenOverAndItsHolderLocksNothingOut() {
        ClaimLeases.aLapsedClaimThatNeverSentIsTakenOverAndItsHolderLocksNothingOut(store);
    }

    @Test
    void aLapsedClaimThatMarkedItsSendBecomesTheUnknownOutcome() {
        ClaimLeases.aLapsedClaimThatMarkedItsSendBecomesTheUnknownOutcome(store);
    }

    @Test
    void aCopyLearnsHowLongTheLeaseStillRuns() {
        ClaimLeases.aCopyLearnsHowLongTheLeaseStillRuns(store);
    }

    @Test
    void anOutcomeWhoseClaimTheStoreLostIsStillStored() {
        ClaimLeases.anOutcomeWhoseClaimTheStoreLostIsStillStored(store);
    }

    @Test
    void aFullShareRefusesANewKeyAndKeepsEveryHeldOne() {
        MemoryStateStore store = new MemoryStateStore(3, nanos::get);
        IdempotencyRecord answered = record("a").completedWith(new IdempotencyRecord.Answer(202, null, null, List.of()));
        claim(store, "acme", "a", record("a"));
        assertTrue(store.save("acme", "a", answered, TTL).await().atMost(WAIT));
        claim(store, "acme", "b", record("b"));
        claim(store, "acme", "c", record("c"));

        assertThrows(StoreFullException.class, () -> claim(store, "acme", "d", record("d")));

        assertEquals(Optional.of(answered), claim(store, "acme", "a", record("a2")));
        assertEquals(Optional.of("b"), claim(store, "acme", "b", record("b2")).map(IdempotencyRecord::owner));
        assertEquals(Optional.of("c"), claim(store, "acme", "c", record("c2")).map(IdempotencyRecord::owner));
        assertEquals(Optional.empty(), claim(store, "globex", "d", record("d")));
    }

    @Test
    void expiredAndFreedKeysMakeRoom() {
        MemoryStateStore store = new MemoryStateStore(2, nanos::get);
        claim(store, "acme", "a", record("a"));
        claim(store, "acme", "b", record("b"));
        assertThrows(StoreFullException.class, () -> claim(store, "acme", "c", record("c")));

        assertTrue(store.release("acme", "b", "b").await().atMost(WAIT));
        assertEquals(Optional.empty(), claim(store, "acme", "c", record("c")));

        nanos.addAndGet(LATER.toNanos());
        assertEquals(Optional.empty(), claim(store, "acme", "d", record("d")));
        assertEquals(Optional.empty(), claim(store, "acme", "e", record("e")));
    }

    @Test
    void aFullShareRefusesANewCounterAllOrNothingAndKeepsCountingHeldOnes() {
        MemoryStateStore store = new MemoryStateStore(3, nanos::get);
        assertEquals(Optional.empty(), reserve(store, "acme", "1", counter("a", 2), counter("b", 5)));

        assertThrows(StoreFullException.class, () -> reserve(store, "acme", "2", counter("c", 1), counter("d", 1)));

        // had the refused reservation counted c, its limit of 1 would now be reached
        assertEquals(Optional.empty(), reserve(store, "acme", "3", counter("c", 1)));
        assertThrows(StoreFullException.class, () -> reserve(store, "acme", "4", counter("e", 1)));
        assertEquals(Optional.empty(), reserve(store, "acme", "5", counter("a", 2)));
        assertTrue(reserve(store, "acme", "6", counter("a", 2)).isPresent(), "a's two attempts still count");
        assertEquals(Optional.empty(), reserve(store, "globex", "7", counter("e", 1)));
    }

    @Test
    void expiredCountersMakeRoom() {
        MemoryStateStore store = new MemoryStateStore(1, nanos::get);
        assertEquals(Optional.empty(), reserve(store, "acme", "1", counter("a", 5)));
        assertThrows(StoreFullException.class, () -> reserve(store, "acme", "2", counter("b", 5)));

        nanos.addAndGet(LATER.toNanos());
        assertEquals(Optional.empty(), reserve(store, "acme", "3", counter("b", 5)));
    }

    @Test
    void aSlicedCounterFreesItsOldestSliceAfterAWindowAndTakesEachRefundOnce() {
        MemoryStateStore store = new MemoryStateStore(10, nanos::get);
        Counter budget = new Counter("budget:sms:hour", 3, Duration.ofHours(1), 60); // slices of a minute
        nanos.set(Duration.ofMinutes(1000).plusSeconds(30).toNanos());
        assertEquals(List.of(1), reserveSliced(store, "1", budget).used());
        nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        reserveSliced(store, "2", budget);
        assertEquals(List.of(3), reserveSliced(store, "3", budget).used());

        StateStore.Reservation refused = reserveSliced(store, "4", budget);
        assertEquals(List.of(3), refused.used());
        // the first attempt's slice (minute 1000) ends at minute 1001 and leaves the window an hour later
        assertEquals(Optional.of(Duration.ofMinutes(59).plusSeconds(30)), refused.retryAfter());

        refund(store, "2", budget);
        assertEquals(Optional.empty(), reserveSliced(store, "5", budget).retryAfter());
        refund(store, "2", budget); // taken back once only
        refund(store, "never-recorded", budget);
        assertTrue(reserveSliced(store, "6", budget).retryAfter().isPresent());

        nanos.set(Duration.ofMinutes(1061).toNanos());
        assertEquals(List.of(3), reserveSliced(store, "7", budget).used(), "minute 1000's attempt left, this one came");
    }

    private StateStore.Reservation reserveSliced(MemoryStateStore store, String attemptId, Counter counter) {
        return store.reserve("acme", List.of(counter), TTL, attemptId).await().atMost(WAIT);
    }

    private static void refund(MemoryStateStore store, String attemptId, Counter counter) {
        store.refund("acme", List.of(counter), attemptId).await().atMost(WAIT);
    }

    private static IdempotencyRecord record(String owner) {
        return IdempotencyRecord.inFlight(owner, "fingerprint", null);
    }

    private static Counter counter(String key, int limit) {
        return new Counter(key, limit);
    }

    private static Optional<IdempotencyRecord> claim(StateStore store, String tenant, String key, IdempotencyRecord record) {
        return store.claim(tenant, key, record, TTL, TTL, ClaimLeases.UNKNOWN).await().atMost(WAIT).map(StateStore.Held::record);
    }

    private static Optional<Duration> reserve(StateStore store, String tenant, String attemptId, Counter... counters) {
        return store.reserve(tenant, List.of(counters), TTL, attemptId).await().atMost(WAIT).retryAfter();
    }
}
