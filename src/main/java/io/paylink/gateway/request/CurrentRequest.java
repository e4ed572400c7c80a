package io.paylink.gateway.request;

import java.util.Optional;

import io.paylink.gateway.tenant.Authenticated;
import io.paylink.gateway.tenant.KeySlot;
import io.paylink.gateway.tenant.Tenant;
import io.smallrye.common.vertx.ContextLocals;

/**
 * The few facts about the current HTTP request that several layers need: its id (set first, by
 * the request log), when it started, and its tenant (set by authentication). Each is written once,
 * early, into the request's own Vert.x context, so they are there for everything that runs for the
 * request, including the end of a resend whose caller has already gone.
 */
public final class CurrentRequest {

    private static final String ID = "gateway.requestId";
    private static final String START = "gateway.startNanos";
    private static final String TENANT = "gateway.tenant";
    private static final String KEY = "gateway.keySlot";

    private CurrentRequest() {
    }

    public static void begin(String requestId) {
        ContextLocals.put(ID, requestId);
        ContextLocals.put(START, System.nanoTime());
    }

    public static String id() {
        return ContextLocals.<String> get(ID).orElse("-");
    }

    public static long elapsedMicros() {
        return ContextLocals.<Long> get(START).map(start -> (System.nanoTime() - start) / 1_000).orElse(0L);
    }

    /** The tenant as configured now: a reload later in the request does not change the one it uses. */
    public static void authenticated(Authenticated caller) {
        ContextLocals.put(TENANT, caller.tenant());
        ContextLocals.put(KEY, caller.key());
    }

    /** Set by authentication for every /v1 request; empty elsewhere or when the key matched no tenant. */
    public static Optional<Tenant> tenant() {
        return ContextLocals.get(TENANT);
    }

    /** Which of the tenant's keys the request came with; empty when {@link #tenant()} is. */
    public static Optional<KeySlot> key() {
        return ContextLocals.get(KEY);
    }
}
