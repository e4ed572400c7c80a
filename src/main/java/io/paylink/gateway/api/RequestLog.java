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
import io.vertx.core.http.HttpServerRequest;

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
    public void end(ContainerResponseContext response, HttpServerRequest http) {
        response.getHeaders().putSingle(REQUEST_ID_HEADER, exchange.requestId());
        if (exchange.isReplayed()) {
            response.getHeaders().putSingle("Idempotent-Replayed", "true");
        }
        String outcome = response.getEntity() instanceof Problem problem ? problem.code()
                : response.getStatus() == 202 ? "ACCEPTED" : String.valueOf(response.getStatus());
        String tenant = exchange.tenantIfKnown().map(Tenant::id).orElse(GatewayMetrics.NO_TENANT);
        metrics.request(tenant, outcome, exchange.isReplayed());
        if (LOG.isInfoEnabled()) {
            LOG.info(line(http, tenant, outcome, response.getStatus()));
        }
    }

    /** Built by hand: String.format and a parsed request URI cost more than the rest of this filter. */
    private String line(HttpServerRequest http, String tenant, String outcome, int status) {
        long micros = exchange.elapsedMicros();
        int upstream = exchange.upstreamStatus();
        // Vert.x's path is the raw one, still percent-encoded, so a decoded "%0A" cannot forge a log line
        StringBuilder line = new StringBuilder(160).append(http.method().name()).append(' ').append(http.path())
                .append(" tenant=").append(tenant)
                .append(" order=").append(exchange.orderUuid().orElse("-"))
                .append(" to=").append(exchange.maskedContacts().orElse("-"))
                .append(" outcome=").append(outcome);
        if (exchange.isReplayed()) {
            line.append(" replayed=true");
        }
        return line.append(" status=").append(status)
                .append(" upstream=").append(upstream == 0 ? "-" : String.valueOf(upstream))
                .append(" duration_ms=").append(micros / 1000).append('.').append(micros / 100 % 10)
                .toString();
    }
}
