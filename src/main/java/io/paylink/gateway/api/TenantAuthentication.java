package io.paylink.gateway.api;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.paylink.gateway.request.CurrentRequest;
import io.paylink.gateway.problem.ProblemCode;
import io.paylink.gateway.problem.ProblemException;
import io.paylink.gateway.tenant.TenantRegistry;

/**
 * Every {@code /v1} request belongs to the tenant of its X-Api-Key. Checked before the request is
 * even matched to a resource, so that a caller without a valid key learns nothing else: no 404,
 * 405, 406, 415 or validation answer, only 401.
 */
public class TenantAuthentication {

    static final String API_KEY_HEADER = "X-Api-Key";

    private final TenantRegistry tenants;

    TenantAuthentication(TenantRegistry tenants) {
        this.tenants = tenants;
    }

    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public void authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.equals("/v1") && !path.startsWith("/v1/")) {
            return;
        }
        CurrentRequest.authenticated(tenants.authenticate(request.getHeaderString(API_KEY_HEADER))
                .orElseThrow(() -> new ProblemException(ProblemCode.UNAUTHENTICATED,
                        "Send the tenant's API key in the " + API_KEY_HEADER + " header")));
    }
}
