package io.paylink.gateway.store;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.paylink.gateway.GatewayConfig;
import io.paylink.gateway.tenant.TenantRegistry;
import io.quarkus.runtime.StartupEvent;

/** {@code gateway.store}: memory (default) or redis. Redis is only touched when chosen. */
public class StateStoreProducer {

    private static final Logger LOG = Logger.getLogger(StateStoreProducer.class);

    @Produces
    @Singleton
    StateStore stateStore(GatewayConfig config, TenantRegistry tenants, Instance<RedisStateStore> redis, MeterRegistry registry) {
        StateStore store = config.store() == GatewayConfig.StoreKind.REDIS ? redis.get()
                : new MemoryStateStore(memoryCapacity(config, tenants).perTenant());
        // Nothing probes wellness by itself: the gauge follows every store call, so alerts see an outage while requests fail.
        Gauge.builder("gateway.state.store.up", store, s -> s.answering() ? 1 : 0)
                .description("1 while the state store answers in time, 0 after a call failed or timed out")
                .tag("kind", config.store().name().toLowerCase())
                .register(registry);
        return store;
    }

    /** At start rather than at the store's first use: an operator sizing the heap needs the number before traffic. */
    void logMemoryCapacity(@Observes StartupEvent start, GatewayConfig config, TenantRegistry tenants) {
        if (config.store() == GatewayConfig.StoreKind.MEMORY) {
            MemoryStoreCapacity capacity = memoryCapacity(config, tenants);
            LOG.infof("Memory store: up to %d Idempotency-Keys and %d resend-limit counters per tenant (%s); "
                    + "a full share answers 503 STORE_FULL", capacity.perTenant(), capacity.perTenant(), capacity.derivation());
        }
    }

    /** Shared by the tenants at start: a tenant added later by the tenants file gets a share of the same size. */
    private static MemoryStoreCapacity memoryCapacity(GatewayConfig config, TenantRegistry tenants) {
        return MemoryStoreCapacity.of(config.memoryStoreMaxEntries(), tenants.size(), Runtime.getRuntime().maxMemory());
    }
}
