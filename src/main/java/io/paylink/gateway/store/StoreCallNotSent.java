package io.paylink.gateway.store;

/**
 * A store call that was still waiting for one of its tenant's places when its time-out passed: it
 * never reached the store, so it did nothing, and nothing it might have written needs undoing.
 */
public class StoreCallNotSent extends RuntimeException {

    public StoreCallNotSent(String tenant) {
        // no stack trace: a flooding tenant may see this on every call, and the trace says nothing new
        super("Tenant " + tenant + "'s store call waited for a place past the store time-out and was not sent", null, false, false);
    }
}
