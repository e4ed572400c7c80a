package io.paylink.gateway.store;

/**
 * A tenant's share of the state store (memory, or its records in Redis) holds as many entries as it may: the claim or
 * reservation that needed a new entry was refused, and nothing was stored or counted. Refusing is
 * the only way to stay bounded without evicting a claim or a stored answer inside its retention,
 * which would let a retry send a second message.
 */
public class StoreFullException extends RuntimeException {

    public StoreFullException(String tenant, String kind) {
        // no stack trace: a tenant at its bound may be refused on every request, and the trace says nothing new
        super("Tenant " + tenant + " has no room left for " + kind + " in the state store", null, false, false);
    }
}
