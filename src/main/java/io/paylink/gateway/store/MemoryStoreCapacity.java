package io.paylink.gateway.store;

import java.util.OptionalInt;

/**
 * How many entries of each kind (idempotency records, resend-limit counters) one tenant may keep in
 * the memory store. Unless {@code gateway.memory-store-max-entries} says otherwise, a quarter of the
 * heap is shared equally by the configured tenants: equal shares, so that no tenant can take
 * another's room, and a quarter, so that the store cannot starve the requests themselves of heap.
 *
 * @param perTenant entries of each kind per tenant
 * @param derivation how {@code perTenant} was arrived at, for the start-up log line
 */
public record MemoryStoreCapacity(int perTenant, String derivation) {

    /**
     * Retained heap of one entry, rounded up: measured on a 64-bit JVM with compressed oops at about
     * 460 bytes for a stored answer (key, owner, fingerprint, answer, Caffeine's node) and 480 for a
     * destination counter holding one attempt. docs/idempotency-and-isolation.md has the measurement.
     */
    static final int BYTES_PER_ENTRY = 512;

    static final int HEAP_SHARE_DIVISOR = 4;

    public static MemoryStoreCapacity of(OptionalInt configured, int tenants, long maxHeapBytes) {
        if (configured.isPresent()) {
            return new MemoryStoreCapacity(configured.getAsInt(), "gateway.memory-store-max-entries");
        }
        int shares = Math.max(1, tenants);
        // each tenant holds up to perTenant entries of each of the two kinds
        long perTenant = maxHeapBytes / HEAP_SHARE_DIVISOR / shares / (2L * BYTES_PER_ENTRY);
        return new MemoryStoreCapacity((int) Math.max(1, Math.min(Integer.MAX_VALUE, perTenant)),
                String.format("a quarter of the %d MiB heap shared by %d tenants, %d bytes per entry", maxHeapBytes >> 20,
                        shares, BYTES_PER_ENTRY));
    }
}
