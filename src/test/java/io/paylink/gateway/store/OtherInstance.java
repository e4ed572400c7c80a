package io.paylink.gateway.store;

import java.time.Duration;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;

/** Another gateway instance's Redis store: its own client and connections, configured like the application's. */
final class OtherInstance {

    private OtherInstance() {
    }

    static RedisStateStore on(Vertx vertx, String redisUrl) {
        var config = ConfigProvider.getConfig();
        return store(vertx, new RedisOptions().setConnectionString(redisUrl)
                .setMaxPoolSize(config.getValue("quarkus.redis.max-pool-size", Integer.class))
                .setMaxPoolWaiting(config.getValue("quarkus.redis.max-pool-waiting", Integer.class)),
                config.getValue("gateway.store-timeout", Duration.class));
    }

    /** Like {@link #on}, holding each tenant to {@code maxKeysPerTenant} idempotency records. */
    static RedisStateStore bounded(Vertx vertx, String redisUrl, int maxKeysPerTenant) {
        Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl));
        return new RedisStateStore(new ReactiveRedisDataSourceImpl(vertx, client, RedisAPI.api(client)),
                ConfigProvider.getConfig().getValue("gateway.store-timeout", Duration.class), maxKeysPerTenant, Integer.MAX_VALUE);
    }

    static RedisStateStore store(Vertx vertx, RedisOptions options, Duration timeout) {
        Redis client = Redis.createClient(vertx, options);
        return new RedisStateStore(new ReactiveRedisDataSourceImpl(vertx, client, RedisAPI.api(client)), timeout);
    }
}
