package io.paylink.gateway.guard;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.AntiPumpingProfile;
import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** SMS countries and message budgets on the memory store. */
@QuarkusTest
@TestProfile(AntiPumpingProfile.class)
@QuarkusTestResource(WireMockFrontPayment.class)
class AntiPumpingTest extends AntiPumpingContract {

    @InjectWireMock
    WireMockServer frontPayment;

    @Override
    WireMockServer frontPayment() {
        return frontPayment;
    }
}
