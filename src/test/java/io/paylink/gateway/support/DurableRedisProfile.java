package io.paylink.gateway.support;

import java.util.List;

/** {@link RedisStoreProfile} on a Redis that can crash and come back with what it acknowledged. */
public class DurableRedisProfile extends RedisStoreProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(DurableRedis.class));
    }
}
