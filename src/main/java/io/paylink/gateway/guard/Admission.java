package io.paylink.gateway.guard;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.paylink.gateway.GatewayConfig;
import io.paylink.gateway.outcome.Outcome;
import io.paylink.gateway.problem.ProblemCode;
import io.paylink.gateway.tenant.Tenant;

/**
 * The front door of each tenant's bulkhead: at most {@code gateway.bulkhead.limit + queue} of a
 * tenant's requests are inside this instance at once, and the next one is refused as soon as its
 * tenant is known, before its body is read. Under a flood, a refusal must cost next to nothing, or
 * refusing the excess would eat the CPU the admitted requests need. The bulkhead around the
 * Front Payment call stays the exact bound on calls; this count is the cheap one in front of it.
 */
@ApplicationScoped
public class Admission {

    static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    public static final Outcome.Answer OVERLOADED = Outcome.Answer.problem(ProblemCode.OVERLOADED,
            "Too many resends of this tenant are in progress; nothing was sent", RETRY_AFTER);

    private final int capacity;
    private final Map<String, AtomicInteger> inside = new ConcurrentHashMap<>();

    Admission(GatewayConfig config) {
        this.capacity = config.bulkhead().limit() + config.bulkhead().queue();
    }

    /** True when the request may go on; it must then {@link #leave} exactly once. */
    public boolean enter(Tenant tenant) {
        AtomicInteger count = inside.computeIfAbsent(tenant.id(), id -> new AtomicInteger());
        if (count.incrementAndGet() > capacity) {
            count.decrementAndGet();
            return false;
        }
        return true;
    }

    public void leave(Tenant tenant) {
        inside.get(tenant.id()).decrementAndGet();
    }

    /** How many of the tenant's requests are inside now: tests wait on it rather than guess how long a request takes to get in. */
    int inside(String tenantId) {
        AtomicInteger count = inside.get(tenantId);
        return count == null ? 0 : count.get();
    }
}
