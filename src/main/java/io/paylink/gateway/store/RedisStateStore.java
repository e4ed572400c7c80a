package io.paylink.gateway.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.paylink.gateway.GatewayConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * State shared by every gateway instance through one Redis. Claims use {@code SET NX}; a
 * reservation over several counters is one Lua script, so it is atomic across instances, and it
 * reads Redis' own clock so that instances with skewed clocks still agree on the window. Every call
 * has a deadline: a hung Redis must not hold requests (or the connection pool) indefinitely.
 */
@ApplicationScoped
@Typed(RedisStateStore.class) // only StateStoreProducer hands it out as the StateStore
public class RedisStateStore implements StateStore {

    /** KEYS: counters; ARGV[1] window ms, ARGV[2] attempt id, ARGV[3..] each counter's limit. */
    private static final String RESERVE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local window = tonumber(ARGV[1])
            local wait = 0
            for i, key in ipairs(KEYS) do
              redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
              if redis.call('ZCARD', key) >= tonumber(ARGV[2 + i]) then
                local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
                wait = math.max(wait, tonumber(oldest[2]) + window - now, 1)
              end
            end
            if wait > 0 then return wait end
            for i, key in ipairs(KEYS) do
              redis.call('ZADD', key, now, ARGV[2])
              redis.call('PEXPIRE', key, window)
            end
            return 0
            """;

    /** Completes or frees a claim only for its owner. KEYS[1] record;  ARGV[1] owner, ARGV[2] new record or '' to delete, ARGV[3] ttl ms. */
    private static final String IF_OWNER = """
            local held = redis.call('GET', KEYS[1])
            if not held or cjson.decode(held).owner ~= ARGV[1] then return 0 end
            if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
            return 1
            """;

    /**
     * Records are written by other instances, possibly of another version: read them leniently,
     * whatever the application's mapper does with callers' bodies.
     */
    private static final ObjectMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final ReactiveRedisDataSource redis;
    private final Duration timeout;
    private volatile boolean answering = true;

    @Inject
    RedisStateStore(ReactiveRedisDataSource redis, GatewayConfig config) {
        this(redis, config.storeTimeout());
    }

    RedisStateStore(ReactiveRedisDataSource redis, Duration timeout) {
        this.redis = redis;
        this.timeout = timeout;
    }

    @Override
    public Uni<Optional<IdempotencyRecord>> claim(String tenant, String key, IdempotencyRecord inFlight, Duration ttl) {
        return timed(claimOnce(tenant, key, inFlight, ttl));
    }

    private Uni<Optional<IdempotencyRecord>> claimOnce(String tenant, String key, IdempotencyRecord inFlight, Duration ttl) {
        String redisKey = key(tenant, key);
        return redis.execute("SET", redisKey, write(inFlight), "NX", "PX", String.valueOf(ttl.toMillis()))
                .flatMap(set -> set != null ? Uni.createFrom().item(Optional.<IdempotencyRecord>empty())
                        : redis.execute("GET", redisKey).flatMap(held -> held != null
                                ? Uni.createFrom().item(Optional.of(read(held.toString())))
                                // expired between SET and GET: claim again
                                : claimOnce(tenant, key, inFlight, ttl)));
    }

    @Override
    public Uni<Boolean> save(String tenant, String key, IdempotencyRecord completed, Duration ttl) {
        return timed(redis.execute("EVAL", IF_OWNER, "1", key(tenant, key), completed.owner(), write(completed),
                String.valueOf(ttl.toMillis())).map(done -> done.toLong() == 1));
    }

    @Override
    public Uni<Boolean> release(String tenant, String key, String owner) {
        return timed(redis.execute("EVAL", IF_OWNER, "1", key(tenant, key), owner, "", "0").map(done -> done.toLong() == 1));
    }

    @Override
    public Uni<Optional<Duration>> reserve(String tenant, List<Counter> counters, Duration window, String attemptId) {
        List<String> args = new ArrayList<>();
        args.add(RESERVE);
        args.add(String.valueOf(counters.size()));
        counters.forEach(counter -> args.add(key(tenant, counter.key())));
        args.add(String.valueOf(window.toMillis()));
        args.add(attemptId);
        counters.forEach(counter -> args.add(String.valueOf(counter.limit())));
        return timed(redis.execute("EVAL", args.toArray(String[]::new))
                .map(Response::toLong)
                .map(wait -> wait == 0 ? Optional.<Duration>empty() : Optional.of(Duration.ofMillis(wait))));
    }

    @Override
    public Uni<Void> refund(String tenant, List<Counter> counters, String attemptId) {
        return timed(Uni.join().all(counters.stream().map(counter -> redis.execute("ZREM", key(tenant, counter.key()), attemptId)).toList())
                .andFailFast().replaceWithVoid());
    }

    /** The hash tag {tenant} puts all of a tenant's keys in one slot: a reservation's script may touch them together on a cluster. */
    private static String key(String tenant, String key) {
        return "gw:{" + tenant + "}:" + key;
    }

    @Override
    public Uni<Boolean> isReachable() {
        return timed(redis.execute("PING").map(pong -> pong != null));
    }

    @Override
    public boolean answering() {
        return answering;
    }

    private <T> Uni<T> timed(Uni<T> call) {
        return call.ifNoItem().after(timeout).fail()
                .onItemOrFailure().invoke((item, failure) -> answering = failure == null);
    }

    private String write(IdempotencyRecord record) {
        try {
            return JSON.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("idempotency record not serializable", e);
        }
    }

    private IdempotencyRecord read(String value) {
        try {
            return JSON.readValue(value, IdempotencyRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable idempotency record", e);
        }
    }
}
