package io.paylink.gateway.tenant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.smallrye.health.api.Wellness;

/**
 * The tenants in force, at {@code /q/health/well}: down while the tenants file's latest version is
 * refused, so that an edit that did not take effect shows where operators look. Not readiness: the
 * previous tenants still serve.
 */
@Wellness
@ApplicationScoped
public class TenantsHealth implements HealthCheck {

    private final TenantRegistry registry;
    private final TenantsFileReload reload;

    TenantsHealth(TenantRegistry registry, TenantsFileReload reload) {
        this.registry = registry;
        this.reload = reload;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder health = HealthCheckResponse.named("tenants").up().withData("tenants", registry.size());
        reload.file().ifPresent(file -> health.withData("file", file.toString()));
        reload.refusal().ifPresent(refused -> health.down()
                .withData("refused-change", "the file's latest version has " + refused.problems()
                        + " problem(s), logged at ERROR; the tenants in force are the previous version's")
                .withData("refused-at", refused.at().toString()));
        return health.build();
    }
}
