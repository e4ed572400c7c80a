package io.paylink.gateway.store;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.paylink.gateway.GatewayConfig;
import io.quarkus.runtime.StartupEvent;

/** {@code gateway.store}: memory (default) or redis. Redis is only touched when chosen. */
public class StateStoreProducer {

    private static final Logger LOG = Logger.getLogger(StateStoreProducer.class);

    @Produces
    @Singleton
    StateStore stateStore(GatewayConfig config, Instance<RedisStateStore> redis, MeterRegistry registry) {
        StateStore store = config.store() == GatewayConfig.StoreKind.REDIS ? redis.get()
                : new MemoryStateStore(memoryCapacity(config).perTenant());
        // Nothing probes wellness by itself: the gauge follows every store call, so alerts see an outage while requests fail.
        Gauge.builder("gateway.state.store.up", store, s -> s.answering() ? 1 : 0)
                .description("1 while the state store answers in time, 0 after a call failed or timed out")
                .tag("kind", config.store().name().toLowerCase())
                .register(registry);
        return store;
    }

    /** At start rather than at the store's first use: an operator sizing the heap needs the number before traffic. */
    void logMemoryCapacity(@Observes StartupEvent start, GatewayConfig config) {
        if (config.store() == GatewayConfig.StoreKind.MEMORY) {
            MemoryStoreCapacity capacity = memoryCapacity(config);
            LOG.infof("Memory store: up to %d Idempotency-Keys and %d resend-limit counters per tenant (%s); "
                    + "a full share answers 503 STORE_FULL", capacity.perTenant(), capacity.perTenant(), capacity.derivation());
        }
    }

    private static MemoryStoreCapacity memoryCapacity(GatewayConfig config) {
        return MemoryStoreCapacity.of(config.memoryStoreMaxEntries(), config.tenants().size(), Runtime.getRuntime().maxMemory());
    }
}
