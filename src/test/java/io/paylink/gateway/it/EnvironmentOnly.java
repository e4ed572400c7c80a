package io.paylink.gateway.it;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Keeps the @QuarkusTest resources of src/test (they are global and would pass their WireMock URL
 * and tenants to the launched app as -D properties) away from the packaged app: its configuration
 * must come from the environment alone.
 */
public class EnvironmentOnly implements QuarkusTestProfile {

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
