package io.paylink.gateway.store;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.paylink.gateway.GatewayConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/** Not ready while the state store does not answer: requests would all be refused (fail closed). */
@Readiness
@ApplicationScoped
public class StateStoreHealth implements AsyncHealthCheck {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final StateStore store;
    private final GatewayConfig.StoreKind kind;

    StateStoreHealth(StateStore store, GatewayConfig config) {
        this.store = store;
        this.kind = config.store();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return store.isReachable()
                .ifNoItem().after(PROBE_TIMEOUT).fail()
                .onFailure().recoverWithItem(false)
                .map(up -> HealthCheckResponse.named("state-store").status(up).withData("kind", kind.name().toLowerCase()).build());
    }
}
