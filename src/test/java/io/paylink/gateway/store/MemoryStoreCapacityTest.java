package io.paylink.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

class MemoryStoreCapacityTest {

    /** Runtime.maxMemory() under deploy/jvm-options (-Xmx96m -Xmn32m, Serial GC): one survivor space less. */
    private static final long DEPLOY_HEAP = 97_320_960L;

    @Test
    void theConfiguredValueWins() {
        assertEquals(7, MemoryStoreCapacity.of(OptionalInt.of(7), 3, DEPLOY_HEAP).perTenant());
    }

    @Test
    void unsetTenantsShareAQuarterOfTheHeapEqually() {
        int one = MemoryStoreCapacity.of(OptionalInt.empty(), 1, DEPLOY_HEAP).perTenant();
        int four = MemoryStoreCapacity.of(OptionalInt.empty(), 4, DEPLOY_HEAP).perTenant();

        assertTrue(one * 2L * MemoryStoreCapacity.BYTES_PER_ENTRY <= DEPLOY_HEAP / 4, "one tenant: " + one);
        assertTrue(one * 2L * MemoryStoreCapacity.BYTES_PER_ENTRY > DEPLOY_HEAP / 4 - 2L * MemoryStoreCapacity.BYTES_PER_ENTRY,
                "one tenant: " + one);
        assertEquals(one / 4, four, 1);
        assertEquals(2 * four, MemoryStoreCapacity.of(OptionalInt.empty(), 4, 2 * DEPLOY_HEAP).perTenant(), 1);
    }

    @Test
    void everyTenantKeepsRoomForAtLeastOneEntry() {
        assertEquals(1, MemoryStoreCapacity.of(OptionalInt.empty(), 1000, 1L << 20).perTenant());
        assertEquals(MemoryStoreCapacity.of(OptionalInt.empty(), 1, DEPLOY_HEAP).perTenant(),
                MemoryStoreCapacity.of(OptionalInt.empty(), 0, DEPLOY_HEAP).perTenant());
    }
}
