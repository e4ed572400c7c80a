package io.paylink.gateway.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link AntiPumpingProfile} with its counters in a real Redis. */
public class AntiPumpingRedisProfile extends AntiPumpingProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("gateway.store", "redis");
        // no store failure is tested here: a cold first call on a busy machine must not pass for one
        overrides.put("gateway.store-timeout", "5s");
        return overrides;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(EmbeddedRedis.class));
    }
}
