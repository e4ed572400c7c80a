package io.paylink.gateway.store;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.paylink.gateway.GatewayConfig;

/** {@code gateway.store}: memory (default) or redis. Redis is only touched when chosen. */
public class StateStoreProducer {

    @Produces
    @Singleton
    StateStore stateStore(GatewayConfig config, Instance<RedisStateStore> redis) {
        return config.store() == GatewayConfig.StoreKind.REDIS ? redis.get() : new MemoryStateStore(config.memoryStoreMaxEntries());
    }
}
