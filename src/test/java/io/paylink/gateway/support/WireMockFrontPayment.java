package io.paylink.gateway.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Front Payment for tests: one WireMock server on a free loopback port. Tenant "acme" uses the
 * default base URL, tenant "globex" its own base URL (a path prefix on the same server).
 */
public class WireMockFrontPayment implements QuarkusTestResourceLifecycleManager {

    public static final String GLOBEX_PREFIX = "/globex";

    private WireMockServer server;

    /** Set by Failsafe only (pom.xml): the integration tests bring their own Front Payment. */
    static final String IT_PORT_PROPERTY = "it.front-payment.port";

    @Override
    public Map<String, String> start() {
        if (System.getProperty(IT_PORT_PROPERTY) != null) {
            // This resource is global (every @QuarkusTest names it), so Quarkus also starts it for the
            // @QuarkusIntegrationTests, and would hand its URLs to the packaged app as -D properties,
            // over the environment those tests configure it with. Give them nothing. (A test profile
            // that disables global resources would do the same, but Quarkus trains the AOT cache
            // only on integration tests without a profile.)
            return Map.of();
        }
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return Map.of(
                "quarkus.rest-client.front-payment.url", server.baseUrl(),
                "gateway.tenants.globex.front-payment-url", server.baseUrl() + GLOBEX_PREFIX);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(InjectWireMock.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
