package io.paylink.gateway.store;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.paylink.gateway.GatewayConfig;

/** {@code gateway.store}: memory (default) or redis. Redis is only touched when chosen. */
public class StateStoreProducer {

    @Produces
    @Singleton
    StateStore stateStore(GatewayConfig config, Instance<RedisStateStore> redis, MeterRegistry registry) {
        StateStore store = config.store() == GatewayConfig.StoreKind.REDIS ? redis.get() : new MemoryStateStore(config.memoryStoreMaxEntries());
        // Nothing probes wellness by itself: the gauge follows every store call, so alerts see an outage while requests fail.
        Gauge.builder("gateway.state.store.up", store, s -> s.answering() ? 1 : 0)
                .description("1 while the state store answers in time, 0 after a call failed or timed out")
                .tag("kind", config.store().name().toLowerCase())
                .register(registry);
        return store;
    }
}
