package io.paylink.gateway.api;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.paylink.gateway.request.CurrentRequest;
import io.paylink.gateway.metrics.GatewayMetrics;
import io.paylink.gateway.outcome.Outcome;
import io.paylink.gateway.problem.Problem;
import io.paylink.gateway.tenant.KeySlot;
import io.paylink.gateway.tenant.Tenant;
import io.smallrye.common.vertx.ContextLocals;
import io.vertx.core.http.HttpServerRequest;

/**
 * Gives every request an id (the caller's X-Request-Id when it is sane) and accounts for it once:
 * one log line and one {@code gateway_requests_total} count. A resend is accounted for when its
 * {@link Outcome} is known, even if its caller has gone by then; every other answer (rejections
 * before the resend starts, 404s, 401s) when it is sent. The line holds masked contacts only,
 * never a token, a key or a full phone number: of the API key, only which of the tenant's two it
 * was. The dev/test simulator is not the gateway's traffic.
 */
public class RequestLog {

    static final String REQUEST_ID_HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    static final String SIMULATOR_PATH = "/simulator/";
    /** Ids end up in logs and headers: no spaces, quotes or control characters, bounded length. */
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Logger LOG = Logger.getLogger("io.paylink.gateway.request");
    private static final String ACCOUNTED = "gateway.accounted";

    private final GatewayMetrics metrics;

    RequestLog(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    /** The first filter of every request, before authentication. */
    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION - 100)
    public void begin(ContainerRequestContext request) {
        if (request.getUriInfo().getPath().startsWith(SIMULATOR_PATH)) {
            return;
        }
        String given = request.getHeaderString(REQUEST_ID_HEADER);
        String id = given != null && SANE_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
        CurrentRequest.begin(id);
        MDC.put(MDC_KEY, id);
    }

    @ServerResponseFilter
    public void end(ContainerResponseContext response, HttpServerRequest http) {
        if (http.path().startsWith(SIMULATOR_PATH)) {
            return;
        }
        response.getHeaders().putSingle(REQUEST_ID_HEADER, CurrentRequest.id());
        if (ContextLocals.get(ACCOUNTED, false)) {
            return;
        }
        String outcome = response.getEntity() instanceof Problem problem ? problem.code()
                : response.getStatus() == 202 ? "ACCEPTED" : String.valueOf(response.getStatus());
        account(http, outcome, response.getStatus(), false, "-", "-", 0);
    }

    /** A resend's one line and count, from its outcome; the answer's own filter then leaves it alone. */
    void resend(HttpServerRequest http, String orderUuid, String maskedContacts, Outcome outcome) {
        ContextLocals.put(ACCOUNTED, true);
        account(http, outcome.code(), outcome.answer().status(), outcome instanceof Outcome.Replayed, orderUuid,
                maskedContacts, outcome.upstreamStatus());
    }

    private void account(HttpServerRequest http, String outcome, int status, boolean replayed, String order, String to,
            int upstream) {
        String tenant = CurrentRequest.tenant().map(Tenant::id).orElse(GatewayMetrics.NO_TENANT);
        metrics.request(tenant, outcome, replayed);
        if (LOG.isInfoEnabled()) {
            String key = CurrentRequest.key().map(KeySlot::label).orElse("-");
            LOG.info(line(http, tenant, key, order, to, outcome, replayed, status, upstream));
        }
    }

    /** Built by hand: String.format and a parsed request URI cost more than the rest of this filter. */
    private static String line(HttpServerRequest http, String tenant, String key, String order, String to, String outcome,
            boolean replayed, int status, int upstream) {
        long micros = CurrentRequest.elapsedMicros();
        // Vert.x's path is the raw one, still percent-encoded, so a decoded "%0A" cannot forge a log line
        StringBuilder line = new StringBuilder(160).append(http.method().name()).append(' ').append(http.path())
                .append(" tenant=").append(tenant)
                .append(" key=").append(key)
                .append(" order=").append(order)
                .append(" to=").append(to)
                .append(" outcome=").append(outcome);
        if (replayed) {
            line.append(" replayed=true");
        }
        return line.append(" status=").append(status)
                .append(" upstream=").append(upstream == 0 ? "-" : String.valueOf(upstream))
                .append(" duration_ms=").append(micros / 1000).append('.').append(micros / 100 % 10)
                .toString();
    }
}
