package io.paylink.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Small, fast guard policies for the guard tests. Tenant "offline" points at a loopback port
 * where nothing listens, so its connections are refused; tenant "initech" shares acme's default
 * Front Payment base URL.
 */
public class GuardPolicyProfile implements QuarkusTestProfile {

    public static final String OFFLINE_KEY = "offline-test-key";
    public static final String INITECH_KEY = "initech-test-key";
    public static final String INITECH_TOKEN = "initech-test-token";
    public static final int PER_ORDER = 3;
    public static final int PER_DESTINATION = 3;
    public static final int BULKHEAD_LIMIT = 2;
    public static final int BULKHEAD_QUEUE = 1;
    public static final int MAX_RETRIES = 2;
    public static final int TIMEOUT_MILLIS = 1000;
    public static final int BREAKER_THRESHOLD = 4;
    public static final int BREAKER_DELAY_MILLIS = 1000;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("gateway.upstream.timeout", TIMEOUT_MILLIS + "ms"),
                Map.entry("gateway.upstream.retry.max-retries", String.valueOf(MAX_RETRIES)),
                Map.entry("gateway.upstream.retry.delay", "20ms"),
                Map.entry("gateway.upstream.retry.jitter", "10ms"),
                Map.entry("gateway.upstream.circuit-breaker.request-volume-threshold", String.valueOf(BREAKER_THRESHOLD)),
                Map.entry("gateway.upstream.circuit-breaker.failure-ratio", "1.0"),
                Map.entry("gateway.upstream.circuit-breaker.delay", BREAKER_DELAY_MILLIS + "ms"),
                Map.entry("gateway.upstream.circuit-breaker.success-threshold", "1"),
                Map.entry("gateway.bulkhead.limit", String.valueOf(BULKHEAD_LIMIT)),
                Map.entry("gateway.bulkhead.queue", String.valueOf(BULKHEAD_QUEUE)),
                Map.entry("gateway.resend-limit.per-order", String.valueOf(PER_ORDER)),
                Map.entry("gateway.resend-limit.per-destination", String.valueOf(PER_DESTINATION)),
                Map.entry("gateway.resend-limit.window", "2s"),
                // sha256("offline-test-key")
                Map.entry("gateway.tenants.offline.api-key-sha256", "fe6777954c95f14eb1174e4cb3b45b2a7b76dff2668d0d151b1f9ee2b0c8d2d3"),
                Map.entry("gateway.tenants.offline.front-payment-token", "offline-test-token"),
                Map.entry("gateway.tenants.offline.front-payment-url", "http://127.0.0.1:" + closedPort()),
                // sha256("initech-test-key")
                Map.entry("gateway.tenants.initech.api-key-sha256", "24849b890cfc76804b7199c24a46cd0979d78112b5427000943a521b4b90adb3"),
                Map.entry("gateway.tenants.initech.front-payment-token", INITECH_TOKEN));
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
