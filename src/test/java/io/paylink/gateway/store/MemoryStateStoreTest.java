package io.paylink.gateway.store;

import org.junit.jupiter.api.Test;

class MemoryStateStoreTest {

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
}
