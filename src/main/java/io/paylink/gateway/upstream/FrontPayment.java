package io.paylink.gateway.upstream;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;

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
    private final Map<URI, FrontPaymentClient> clientsByUrl = new ConcurrentHashMap<>();

    FrontPayment(@RestClient FrontPaymentClient defaultClient) {
        this.defaultClient = defaultClient;
    }

    /** Succeeds with Front Payment's HTTP status (2xx) or fails with an {@link UpstreamFailure}. */
    public Uni<Integer> resend(Tenant tenant, String orderUuid, ResendBody body) {
        return client(tenant)
                .resend(orderUuid, "Bearer " + tenant.frontPaymentToken(), body)
                .map(response -> {
                    UpstreamFailure.readSuccess(response.getStatus(), response.getEntity());
                    return response.getStatus();
                })
                .onFailure(failure -> !(failure instanceof UpstreamFailure))
                .transform(FrontPayment::unexplained);
    }

    private FrontPaymentClient client(Tenant tenant) {
        return tenant.frontPaymentUrl()
                .map(url -> clientsByUrl.computeIfAbsent(url,
                        u -> QuarkusRestClientBuilder.newBuilder().baseUri(u).build(FrontPaymentClient.class)))
                .orElse(defaultClient);
    }

    /** Anything the client could not turn into an answer: unreadable bodies, broken connections. */
    private static UpstreamFailure unexplained(Throwable failure) {
        return new UpstreamFailure.UpstreamError(0, "Front Payment's answer could not be read, or it could not be reached");
    }
}
