package io.paylink.gateway.support;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link GuardPolicyProfile} plus tenants with SMS countries and message budgets. Each budget test
 * has a tenant of its own, since a budget's window (an hour, a day) outlasts the test run. acme keeps
 * the gateway-wide default countries; gateway.sms-countries is not set here, so the default is real.
 */
public class AntiPumpingProfile extends GuardPolicyProfile {

    /** The pumping run: SMS to Norway only, {@link #PUMPED_SMS_PER_HOUR} SMS an hour. */
    public static final String PUMPED_KEY = "pumped-test-key";
    public static final int PUMPED_SMS_PER_HOUR = 25;
    /** SMS and e-mail counted apart. */
    public static final String BUDGETED_KEY = "budgeted-test-key";
    public static final int BUDGETED_SMS_PER_HOUR = 3;
    public static final int BUDGETED_EMAIL_PER_HOUR = 2;
    /** The 80 % WARN: 4 of 5. */
    public static final String WARNED_KEY = "warned-test-key";
    public static final int WARNED_SMS_PER_DAY = 5;
    /** Never called: its series must exist all the same. */
    public static final int QUIET_EMAIL_PER_DAY = 500;
    /** offline's connections are refused: its SMS budget of 1 must be refunded each time. */
    public static final int OFFLINE_SMS_PER_HOUR = 1;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        // the default: these tests count calls, and a cold JVM on a busy machine can pass 1 s
        overrides.put("gateway.upstream.timeout", "5s");
        tenant(overrides, "pumped", PUMPED_KEY);
        overrides.put("gateway.tenants.pumped.sms-countries", "NO");
        overrides.put("gateway.tenants.pumped.budget.sms-per-hour", String.valueOf(PUMPED_SMS_PER_HOUR));
        overrides.put("gateway.tenants.pumped.budget.sms-per-day", "1000");
        tenant(overrides, "budgeted", BUDGETED_KEY);
        overrides.put("gateway.tenants.budgeted.budget.sms-per-hour", String.valueOf(BUDGETED_SMS_PER_HOUR));
        overrides.put("gateway.tenants.budgeted.budget.email-per-hour", String.valueOf(BUDGETED_EMAIL_PER_HOUR));
        tenant(overrides, "warned", WARNED_KEY);
        overrides.put("gateway.tenants.warned.budget.sms-per-day", String.valueOf(WARNED_SMS_PER_DAY));
        tenant(overrides, "quiet", "quiet-test-key");
        overrides.put("gateway.tenants.quiet.budget.email-per-day", String.valueOf(QUIET_EMAIL_PER_DAY));
        overrides.put("gateway.tenants.offline.budget.sms-per-hour", String.valueOf(OFFLINE_SMS_PER_HOUR));
        return overrides;
    }

    private static void tenant(Map<String, String> overrides, String id, String apiKey) {
        overrides.put("gateway.tenants." + id + ".api-key-sha256", TenantsFileProfile.sha256Hex(apiKey));
        overrides.put("gateway.tenants." + id + ".front-payment-token", id + "-test-token");
    }
}
