package io.paylink.gateway.api;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.paylink.gateway.Exchange;
import io.paylink.gateway.metrics.GatewayMetrics;
import io.paylink.gateway.problem.Problem;
import io.paylink.gateway.tenant.Tenant;

/**
 * Gives every request an id (the caller's X-Request-Id when it is sane) and writes one line per
 * request. The line holds masked contacts only, never a token, a key or a full phone number.
 */
public class RequestLog {

    static final String REQUEST_ID_HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    /** Ids end up in logs and headers: no spaces, quotes or control characters, bounded length. */
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Logger LOG = Logger.getLogger("io.paylink.gateway.request");

    private final Exchange exchange;
    private final GatewayMetrics metrics;

    RequestLog(Exchange exchange, GatewayMetrics metrics) {
        this.exchange = exchange;
        this.metrics = metrics;
    }

    @ServerRequestFilter(preMatching = true)
    public void begin(ContainerRequestContext request) {
        String given = request.getHeaderString(REQUEST_ID_HEADER);
        String id = given != null && SANE_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
        exchange.begin(id);
        MDC.put(MDC_KEY, id);
    }

    @ServerResponseFilter
    public void end(ContainerRequestContext request, ContainerResponseContext response) {
        response.getHeaders().putSingle(REQUEST_ID_HEADER, exchange.requestId());
        if (exchange.isReplayed()) {
            response.getHeaders().putSingle("Idempotent-Replayed", "true");
        }
        String outcome = response.getEntity() instanceof Problem problem ? problem.code()
                : response.getStatus() == 202 ? "ACCEPTED" : String.valueOf(response.getStatus());
        String tenant = exchange.tenantIfKnown().map(Tenant::id).orElse(GatewayMetrics.NO_TENANT);
        metrics.request(tenant, outcome, exchange.isReplayed());
        LOG.infof("%s %s tenant=%s order=%s to=%s outcome=%s%s status=%d upstream=%s duration_ms=%.1f",
                // the raw path stays percent-encoded, so a decoded "%0A" cannot forge a log line
                request.getMethod(), request.getUriInfo().getRequestUri().getRawPath(),
                tenant,
                exchange.orderUuid().orElse("-"),
                exchange.maskedContacts().orElse("-"),
                outcome, exchange.isReplayed() ? " replayed=true" : "", response.getStatus(),
                exchange.upstreamStatus() == 0 ? "-" : exchange.upstreamStatus(),
                exchange.elapsedMicros() / 1000.0);
    }
}
