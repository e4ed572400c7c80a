package io.paylink.gateway.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link RedisStoreProfile} on a Redis that can crash and come back with what it acknowledged. */
public class DurableRedisProfile extends RedisStoreProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        // Front Payment's stubbed pause must stay well inside the time-out on a busy machine
        overrides.put("gateway.upstream.timeout", "3s");
        return overrides;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(DurableRedis.class));
    }
}
