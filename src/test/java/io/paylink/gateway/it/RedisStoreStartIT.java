package io.paylink.gateway.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.paylink.gateway.support.EmbeddedRedis;

/**
 * The packaged prod artifact on a real redis-server, configured by environment variables alone:
 * it starts and gets ready without logging anything above INFO. (The memory store's clean start is
 * checked by PackagedGatewayIT on the app Quarkus launches.)
 */
class RedisStoreStartIT {

    private static final EmbeddedRedis REDIS = new EmbeddedRedis();
    private static String redisUrl;

    @BeforeAll
    static void startRedis() {
        redisUrl = REDIS.start().get("quarkus.redis.hosts");
    }

    @AfterAll
    static void stopRedis() {
        REDIS.stop();
    }

    @Test
    void aCleanStartOnRedisLogsNoWarningOrError() throws InterruptedException {
        PackagedApp app = PackagedApp.start(Map.of(
                PackagedApp.HASH_SECRET.getKey(), PackagedApp.HASH_SECRET.getValue(),
                "QUARKUS_HTTP_PORT", "0",
                "GATEWAY_STORE", "redis",
                "QUARKUS_REDIS_HOSTS", redisUrl,
                "QUARKUS_REST_CLIENT_FRONT_PAYMENT_URL", "http://127.0.0.1:9", // never called here
                "GATEWAY_TENANTS__IT__API_KEY_SHA256", "26929a0319d220d8845ab862ea110394becf4469495e3a57952a7d95d41a5200",
                "GATEWAY_TENANTS__IT__FRONT_PAYMENT_TOKEN", "it-front-payment-token"));
        try {
            // readiness is this instance only; the store is reported in wellness: UP means the app reached this Redis
            int management = app.managementPort();
            given().port(management).get("/q/health/ready").then().statusCode(200);
            given().port(management).get("/q/health/well").then().statusCode(200)
                    .body("checks.find { it.name == 'state-store' }.status", equalTo("UP"))
                    .body("checks.find { it.name == 'state-store' }.data.kind", equalTo("redis"));
        } finally {
            app.close();
        }
        JsonLog.assertNoWarningOrError(JsonLog.parse(app.lines()));
    }
}
