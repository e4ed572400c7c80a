package io.paylink.gateway.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.paylink.gateway.tenant.Tenant;

/**
 * Tells operators, in the log, when Front Payment itself is the trouble: unreachable, refusing a
 * tenant's token, or failing so often that the breaker opened. Request lines only say
 * {@code outcome=UPSTREAM_ERROR}; these lines name the tenant and the host. At most one line a
 * minute per tenant and kind, so that an outage does not flood the log; never a token or a contact.
 */
@ApplicationScoped
public class UpstreamTrouble {

    private static final Logger LOG = Logger.getLogger(UpstreamTrouble.class);
    private static final long QUIET_NANOS = Duration.ofMinutes(1).toNanos();

    private final Map<String, AtomicLong> lastWarned = new ConcurrentHashMap<>();

    void failed(Tenant tenant, String baseUrl, UpstreamFailure failure) {
        if (failure instanceof UpstreamFailure.UpstreamUnreachable) {
            warn(tenant, "unreachable", "Front Payment at %s cannot be reached for tenant %s (connection refused, "
                    + "unknown host, connect time-out or failed TLS handshake); check quarkus.rest-client.front-payment.url "
                    + "or the tenant's front-payment-url, the network, and that its certificate is valid and trusted "
                    + "(quarkus.rest-client.front-payment.trust-store)", host(baseUrl), tenant.id());
        } else if (failure instanceof UpstreamFailure.UpstreamAuthFailed) {
            warn(tenant, "auth", "Front Payment at %s answered %d to tenant %s: its front-payment-token is wrong, "
                    + "expired or revoked", host(baseUrl), failure.upstreamStatus(), tenant.id());
        }
    }

    public void breakerOpened(Tenant tenant, String baseUrl, Duration delay) {
        LOG.warnf("Circuit breaker of tenant %s for Front Payment at %s opened: its calls failed repeatedly; "
                + "resends are answered 503 without calling for %d s", tenant.id(), host(baseUrl), delay.toSeconds());
    }

    public void breakerClosed(Tenant tenant, String baseUrl) {
        LOG.infof("Circuit breaker of tenant %s for Front Payment at %s closed: calls go through again", tenant.id(),
                host(baseUrl));
    }

    private void warn(Tenant tenant, String kind, String format, Object... args) {
        AtomicLong last = lastWarned.computeIfAbsent(tenant.id() + " " + kind, k -> new AtomicLong(System.nanoTime() - QUIET_NANOS));
        long previous = last.get();
        long now = System.nanoTime();
        if (now - previous >= QUIET_NANOS && last.compareAndSet(previous, now)) {
            LOG.warnf(format, args);
        }
    }

    /** Scheme, host and port only: a configured URL could carry credentials in its user part or query. */
    private static String host(String baseUrl) {
        URI uri = URI.create(baseUrl);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
