package io.paylink.gateway.upstream;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

import javax.net.ssl.SSLHandshakeException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestResponse;

import io.paylink.gateway.metrics.GatewayMetrics;
import io.paylink.gateway.tenant.Tenant;
import io.smallrye.mutiny.Uni;

/**
 * The one place that calls Front Payment. It sends the calling tenant's token, and only it, to
 * that tenant's base URL. Guards (time-out, breaker, retry, bulkhead, idempotency, limits) wrap
 * this call; see {@code guard.GuardedResend}.
 */
@ApplicationScoped
public class FrontPayment {

    private final FrontPaymentClient client;
    private final String defaultUrl;
    private final GatewayMetrics metrics;
    private final UpstreamTrouble trouble;

    FrontPayment(@RestClient FrontPaymentClient client,
            // Optional so that a missing URL reaches TenantRegistry's one-line start-up error, not
            // Quarkus' own failure with a stack trace; the app never runs without it
            @ConfigProperty(name = "quarkus.rest-client.front-payment.url") Optional<String> defaultUrl,
            GatewayMetrics metrics, UpstreamTrouble trouble) {
        this.client = client;
        this.defaultUrl = defaultUrl.orElse("");
        this.metrics = metrics;
        this.trouble = trouble;
    }

    /** The Front Payment base URL this tenant's calls go to. */
    public String baseUrl(Tenant tenant) {
        return tenant.frontPaymentUrl().map(URI::toString).orElse(defaultUrl);
    }

    /** Succeeds with Front Payment's HTTP status (2xx) or fails with an {@link UpstreamFailure}. */
    public Uni<Integer> send(Tenant tenant, String orderUuid, ResendBody body) {
        long start = System.nanoTime();
        String baseUrl = baseUrl(tenant);
        String authorization = "Bearer " + tenant.frontPaymentToken();
        Uni<RestResponse<Envelope>> call = tenant.frontPaymentUrl().isPresent()
                ? client.resendTo(baseUrl, orderUuid, authorization, body)
                : client.resend(orderUuid, authorization, body);
        return call
                .map(response -> {
                    UpstreamFailure.readSuccess(response.getStatus(), response.getEntity());
                    return response.getStatus();
                })
                .onFailure(failure -> !(failure instanceof UpstreamFailure))
                .transform(FrontPayment::unexplained)
                .onItemOrFailure().invoke((status, failure) -> {
                    metrics.upstreamCall(tenant.id(), outcome(status, failure), System.nanoTime() - start);
                    if (failure instanceof UpstreamFailure upstream) {
                        trouble.failed(tenant, baseUrl, upstream);
                    }
                })
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

    /**
     * Anything the client could not turn into an answer. Only a connection that was never made
     * proves that nothing reached Front Payment; a reset, an empty or garbled answer may come after
     * the request was sent. A failed TLS handshake (an untrusted, expired or wrong certificate, or no
     * TLS at all) is a connection never made: the request is written only once the handshake is
     * done, and Vert.x reports any failure of it as an {@link SSLHandshakeException}, the real
     * reason as its cause. A handshake that fails later (a TLS 1.2 renegotiation, after the request
     * was written) reaches this as an IOException carrying only the message, and stays ambiguous.
     */
    private static UpstreamFailure unexplained(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof UnknownHostException
                    || cause instanceof SSLHandshakeException) {
                return new UpstreamFailure.UpstreamUnreachable();
            }
        }
        return new UpstreamFailure.UpstreamError(0, "Front Payment's answer was broken off or could not be read");
    }
}
