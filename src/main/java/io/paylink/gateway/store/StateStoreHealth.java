package io.paylink.gateway.store;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;

import io.paylink.gateway.GatewayConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.Wellness;
import io.smallrye.mutiny.Uni;

/**
 * Whether the state store answers, at {@code /q/health/well}. Not readiness: the store is shared by
 * every instance, so an outage would take all of them out of routing at once, and callers would get
 * connection errors instead of this gateway's 503 STORE_UNAVAILABLE with Retry-After.
 */
@Wellness
@ApplicationScoped
public class StateStoreHealth implements AsyncHealthCheck {

    private final StateStore store;
    private final GatewayConfig.StoreKind kind;

    StateStoreHealth(StateStore store, GatewayConfig config) {
        this.store = store;
        this.kind = config.store();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return store.isReachable()
                .onFailure().recoverWithItem(false)
                .map(up -> HealthCheckResponse.named("state-store").status(up).withData("kind", kind.name().toLowerCase()).build());
    }
}
