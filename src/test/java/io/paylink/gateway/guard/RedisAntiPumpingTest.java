package io.paylink.gateway.guard;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.paylink.gateway.support.AntiPumpingRedisProfile;
import io.paylink.gateway.support.InjectWireMock;
import io.paylink.gateway.support.WireMockFrontPayment;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** SMS countries and message budgets with the counters in Redis, as every instance sharing it sees them. */
@QuarkusTest
@TestProfile(AntiPumpingRedisProfile.class)
@QuarkusTestResource(WireMockFrontPayment.class)
class RedisAntiPumpingTest extends AntiPumpingContract {

    @InjectWireMock
    WireMockServer frontPayment;

    @Override
    WireMockServer frontPayment() {
        return frontPayment;
    }
}
