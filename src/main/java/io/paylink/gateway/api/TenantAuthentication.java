package io.paylink.gateway.api;

import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.paylink.gateway.Exchange;
import io.paylink.gateway.problem.ProblemCode;
import io.paylink.gateway.problem.ProblemException;
import io.paylink.gateway.tenant.TenantRegistry;

/**
 * Every {@code /v1} call belongs to the tenant of its X-Api-Key, checked before the body is read
 * so that unauthenticated callers learn nothing about validation.
 */
public class TenantAuthentication {

    static final String API_KEY_HEADER = "X-Api-Key";

    private final TenantRegistry tenants;
    private final Exchange exchange;

    TenantAuthentication(TenantRegistry tenants, Exchange exchange) {
        this.tenants = tenants;
        this.exchange = exchange;
    }

    @ServerRequestFilter
    public void authenticate(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/v1/")) {
            return;
        }
        exchange.authenticated(tenants.authenticate(request.getHeaderString(API_KEY_HEADER))
                .orElseThrow(() -> new ProblemException(ProblemCode.UNAUTHENTICATED,
                        "Send the tenant's API key in the " + API_KEY_HEADER + " header")));
    }
}
