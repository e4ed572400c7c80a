package io.paylink.gateway.api;

import jakarta.ws.rs.Priorities;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.paylink.gateway.guard.Admission;
import io.paylink.gateway.outcome.Outcome;
import io.paylink.gateway.problem.ProblemException;
import io.paylink.gateway.request.CurrentRequest;
import io.paylink.gateway.tenant.Tenant;
import io.vertx.ext.web.RoutingContext;

/**
 * Right after authentication: a tenant with too many requests inside already gets 503 OVERLOADED
 * before anything else is done for this one (body, validation, store, limits). Its place is
 * released when the answer has been sent or the caller has gone; a send that outlives its caller
 * is still bounded by the bulkhead around the Front Payment call.
 */
public class TenantAdmission {

    private final Admission admission;

    TenantAdmission(Admission admission) {
        this.admission = admission;
    }

    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION + 1)
    public void admit(RoutingContext routing) {
        Tenant tenant = CurrentRequest.tenant().orElse(null);
        if (tenant == null) {
            return; // not a /v1 request
        }
        if (!admission.enter(tenant)) {
            Outcome.Answer refused = Admission.OVERLOADED;
            throw new ProblemException(refused.code(), refused.detail(), refused.violations(), refused.retryAfter());
        }
        routing.addEndHandler(ended -> admission.leave(tenant));
    }
}
