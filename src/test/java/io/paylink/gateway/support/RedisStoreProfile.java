package io.paylink.gateway.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The guard policies of {@link GuardPolicyProfile}, with state in a real Redis. */
public class RedisStoreProfile extends GuardPolicyProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("gateway.store", "redis");
        // small, so that the hung-Redis test fails closed quickly; still far above a loopback round trip
        overrides.put("gateway.store-timeout", "500ms");
        return overrides;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(EmbeddedRedis.class));
    }
}
