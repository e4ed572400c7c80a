package io.paylink.gateway.support;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link RedisStoreProfile} without its short time-outs and window, which are for its time-out and
 * limit tests: a cold, busy gateway's first store and upstream calls may outlast them, and a slow
 * test's counters must not expire before it reads them.
 */
public class PatientRedisStoreProfile extends RedisStoreProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("gateway.upstream.timeout", "10s");
        overrides.put("gateway.store-timeout", "5s");
        overrides.put("gateway.resend-limit.window", "1h");
        return overrides;
    }
}
