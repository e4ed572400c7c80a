package io.paylink.gateway.store;

import org.junit.jupiter.api.Test;

class MemoryStateStoreTest {

    @Test
    void aLateFinisherCanNeitherSaveOverNorReleaseTheNewerClaim() throws InterruptedException {
        OwnerTokens.aLateFinisherCanNeitherSaveOverNorReleaseTheNewerClaim(new MemoryStateStore(100));
    }
}
