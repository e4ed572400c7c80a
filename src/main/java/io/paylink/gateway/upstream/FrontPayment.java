package io.paylink.gateway.upstream;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.paylink.gateway.guard.UpstreamFaultTolerance;
import io.paylink.gateway.metrics.GatewayMetrics;
import io.paylink.gateway.tenant.Tenant;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;

/**
 * The one place that calls Front Payment. It sends the calling tenant's token, and only it, to
 * that tenant's base URL. Guards (time-outs, breaker, idempotency, limits) wrap this call.
 */
@ApplicationScoped
public class FrontPayment {

    private final FrontPaymentClient defaultClient;
    private final String defaultUrl;
    /** Per-tenant clients connect as patiently as the configured default client. */
    private final long connectTimeoutMillis;
    private final UpstreamFaultTolerance faultTolerance;
    private final GatewayMetrics metrics;
    private final Map<URI, FrontPaymentClient> clientsByUrl = new ConcurrentHashMap<>();

    FrontPayment(@RestClient FrontPaymentClient defaultClient,
            @ConfigProperty(name = "quarkus.rest-client.front-payment.url") String defaultUrl,
            @ConfigProperty(name = "quarkus.rest-client.front-payment.connect-timeout") long connectTimeoutMillis,
            UpstreamFaultTolerance faultTolerance, GatewayMetrics metrics) {
        this.defaultClient = defaultClient;
        this.defaultUrl = defaultUrl;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.faultTolerance = faultTolerance;
        this.metrics = metrics;
    }

    /**
     * Succeeds with Front Payment's HTTP status (2xx) or fails with an {@link UpstreamFailure} or the
     * fault-tolerance problem (time-out, open breaker, full bulkhead).
     */
    public Uni<Integer> resend(Tenant tenant, String orderUuid, ResendBody body) {
        String baseUrl = tenant.frontPaymentUrl().map(URI::toString).orElse(defaultUrl);
        return faultTolerance.call(tenant, baseUrl, () -> send(tenant, orderUuid, body));
    }

    private Uni<Integer> send(Tenant tenant, String orderUuid, ResendBody body) {
        long start = System.nanoTime();
        return client(tenant)
                .resend(orderUuid, "Bearer " + tenant.frontPaymentToken(), body)
                .map(response -> {
                    UpstreamFailure.readSuccess(response.getStatus(), response.getEntity());
                    return response.getStatus();
                })
                .onFailure(failure -> !(failure instanceof UpstreamFailure))
                .transform(FrontPayment::unexplained)
                .onItemOrFailure().invoke((status, failure) -> metrics.upstreamCall(tenant.id(), outcome(status, failure),
                        System.nanoTime() - start))
                // a cancelled attempt is one the time-out gave up on
                .onCancellation().invoke(() -> metrics.upstreamCall(tenant.id(), "timeout", System.nanoTime() - start));
    }

    private static String outcome(Integer status, Throwable failure) {
        if (failure instanceof UpstreamFailure.UpstreamUnreachable) {
            return "unreachable";
        }
        int answered = failure instanceof UpstreamFailure upstream ? upstream.upstreamStatus() : status == null ? 0 : status;
        return answered == 0 ? "broken" : (answered / 100) + "xx";
    }

    private FrontPaymentClient client(Tenant tenant) {
        return tenant.frontPaymentUrl()
                .map(url -> clientsByUrl.computeIfAbsent(url,
                        u -> QuarkusRestClientBuilder.newBuilder().baseUri(u)
                                .connectTimeout(connectTimeoutMillis, TimeUnit.MILLISECONDS)
                                .build(FrontPaymentClient.class)))
                .orElse(defaultClient);
    }

    /**
     * Anything the client could not turn into an answer. Only a connection that was never made
     * proves that nothing reached Front Payment; a reset, an empty or garbled answer may come after
     * the request was sent.
     */
    private static UpstreamFailure unexplained(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
                return new UpstreamFailure.UpstreamUnreachable();
            }
        }
        return new UpstreamFailure.UpstreamError(0, "Front Payment's answer was broken off or could not be read");
    }
}
