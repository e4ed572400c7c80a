package io.paylink.gateway.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.paylink.gateway.GatewayConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Response;

/**
 * State shared by every gateway instance through one Redis. Every write is one Lua script, so it is
 * atomic across instances, and reads Redis' own clock, so that instances with skewed clocks still
 * agree on leases and windows. Every call has a deadline: a hung Redis must not hold requests (or the
 * connection pool) indefinitely. A command that timed out may still reach Redis later (it waited for
 * a pooled connection, or in a frozen server's socket): the scripts that claim, mark or count carry
 * their caller's deadline in Redis' clock and do nothing once it has passed, so a caller told
 * "nothing happened" is never contradicted by a late write.
 * <p>
 * Redis and the connection pool are shared by all tenants, so each tenant gets a bounded share of
 * both: at most {@code gateway.redis-store.max-keys-per-tenant} idempotency records (a new claim
 * past it is refused, never an older record evicted: that would let a retry send twice), and at
 * most {@code gateway.redis-store.max-calls-per-tenant} calls in flight in this instance.
 */
@ApplicationScoped
@Typed(RedisStateStore.class) // only StateStoreProducer hands it out as the StateStore
public class RedisStateStore implements StateStore {

    private static final String NOW = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            """;

    /**
     * KEYS: the counters, then the recent attempts of each sliced one. ARGV[1] attempt id, ARGV[2]
     * deadline, ARGV[3] refund horizon ms, ARGV[4] number of counters; then four per counter: its
     * limit, window ms, slice ms (0: a sorted set of every attempt) and the KEYS index of its recent
     * attempts. A sliced counter is a hash of slice index to count, plus a sorted set of the attempts
     * of the refund horizon, which REFUND_SLICE reads. Returns {wait ms (0: recorded), used...}.
     */
    private static final String RESERVE = NOW + """
            if now > tonumber(ARGV[2]) then return {-1} end
            local counters = tonumber(ARGV[4])
            local wait = 0
            local used = {}
            for i = 1, counters do
              local key = KEYS[i]
              local limit = tonumber(ARGV[1 + 4 * i])
              local window = tonumber(ARGV[2 + 4 * i])
              local slice = tonumber(ARGV[3 + 4 * i])
              local count = 0
              local frees = 0
              if slice == 0 then
                redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
                count = redis.call('ZCARD', key)
                if count > 0 then
                  frees = tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2]) + window
                end
              else
                local live = math.floor((now - window) / slice)
                local oldest = nil
                local fields = redis.call('HGETALL', key)
                for j = 1, #fields, 2 do
                  local index = tonumber(fields[j])
                  if index < live then
                    redis.call('HDEL', key, fields[j])
                  else
                    count = count + tonumber(fields[j + 1])
                    if oldest == nil or index < oldest then oldest = index end
                  end
                end
                if oldest then frees = (oldest + 1) * slice + window end
              end
              used[i] = count
              if count >= limit then wait = math.max(wait, frees - now, 1) end
            end
            if wait > 0 then
              table.insert(used, 1, wait)
              return used
            end
            for i = 1, counters do
              local key = KEYS[i]
              local window = tonumber(ARGV[2 + 4 * i])
              local slice = tonumber(ARGV[3 + 4 * i])
              if slice == 0 then
                redis.call('ZADD', key, now, ARGV[1])
                redis.call('PEXPIRE', key, window)
              else
                redis.call('HINCRBY', key, string.format('%d', math.floor(now / slice)), 1)
                redis.call('PEXPIRE', key, window + slice)
                local recent = KEYS[tonumber(ARGV[4 + 4 * i])]
                redis.call('ZREMRANGEBYSCORE', recent, '-inf', now - tonumber(ARGV[3]))
                redis.call('ZADD', recent, now, ARGV[1])
                redis.call('PEXPIRE', recent, ARGV[3])
              end
              used[i] = used[i] + 1
            end
            table.insert(used, 1, 0)
            return used
            """;

    /** KEYS[1] a sliced counter, KEYS[2] its recent attempts; ARGV[1] attempt id, ARGV[2] slice ms. */
    private static final String REFUND_SLICE = """
            local at = redis.call('ZSCORE', KEYS[2], ARGV[1])
            if not at then return 0 end
            redis.call('ZREM', KEYS[2], ARGV[1])
            local index = string.format('%d', math.floor(tonumber(at) / tonumber(ARGV[2])))
            if tonumber(redis.call('HGET', KEYS[1], index) or '0') > 0 then redis.call('HINCRBY', KEYS[1], index, -1) end
            return 1
            """;

    /**
     * Puts KEYS[1], kept for ARGV[3] ms from now, in the index KEYS[2], which lives as long as its
     * longest-lived record (retention may differ between versions).
     */
    private static final String INDEX = """
            redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), KEYS[1])
            if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
            """;

    /**
     * KEYS[1] record, KEYS[2] the tenant's record index; ARGV[1] in-flight record, ARGV[2] lease ms,
     * ARGV[3] retention ms, ARGV[4] the unknown-outcome answer, ARGV[5] deadline, ARGV[6] the tenant's
     * bound on records. Returns {} when claimed, {'full'} when a new record would pass the bound, else
     * {held record, lease ms left}. A record without a lease was written by an older version, whose
     * claims expired by TTL: held. The index scores each record of the tenant by its expiry, so that
     * the bound counts live records only; a takeover of a lapsed claim reuses its record and its place.
     */
    private static final String CLAIM = NOW + """
            if now > tonumber(ARGV[5]) then return {'late'} end
            local held = redis.call('GET', KEYS[1])
            if held then
              local record = cjson.decode(held)
              local lease = record.leaseUntil or (now + 1000)
              if record.answer or lease > now then return {held, tostring(record.answer and 0 or lease - now)} end
              if record.sending then
                record.answer = cjson.decode(ARGV[4])
                record.sending = nil
                record.leaseUntil = nil
                held = cjson.encode(record)
                redis.call('SET', KEYS[1], held, 'KEEPTTL')
                return {held, '0'}
              end
            end
            redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
            if not redis.call('ZSCORE', KEYS[2], KEYS[1]) and redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[6]) then
              return {'full'}
            end
            local record = cjson.decode(ARGV[1])
            record.leaseUntil = now + tonumber(ARGV[2])
            redis.call('SET', KEYS[1], cjson.encode(record), 'PX', ARGV[3])
            """ + INDEX + """
            return {}
            """;

    /** KEYS[1] record; ARGV[1] owner, ARGV[2] lease ms, ARGV[3] deadline. */
    private static final String MARK_SENDING = NOW + """
            if now > tonumber(ARGV[3]) then return 0 end
            local held = redis.call('GET', KEYS[1])
            if not held then return 0 end
            local record = cjson.decode(held)
            if record.owner ~= ARGV[1] or record.answer then return 0 end
            record.sending = true
            record.leaseUntil = now + tonumber(ARGV[2])
            redis.call('SET', KEYS[1], cjson.encode(record), 'KEEPTTL')
            return 1
            """;

    /**
     * KEYS[1] record, KEYS[2] the tenant's record index; ARGV[1] completed record, ARGV[2] owner,
     * ARGV[3] retention ms. A lost record is written anew even past the tenant's bound: an outcome that
     * may have sent a message must be kept, and it replaces a claim the bound already counted.
     */
    private static final String SAVE = NOW + """
            local held = redis.call('GET', KEYS[1])
            if held then
              local record = cjson.decode(held)
              if record.owner ~= ARGV[2] or record.answer then return 0 end
            end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
            """ + INDEX + """
            return 1
            """;

    /** KEYS[1] record, KEYS[2] the tenant's record index; ARGV[1] owner. */
    private static final String RELEASE = """
            local held = redis.call('GET', KEYS[1])
            if not held then return 0 end
            local record = cjson.decode(held)
            if record.owner ~= ARGV[1] or record.answer then return 0 end
            redis.call('DEL', KEYS[1])
            redis.call('ZREM', KEYS[2], KEYS[1])
            return 1
            """;

    /** How often the estimate of Redis' clock is refreshed; it only bounds late commands, so drift between refreshes is harmless. */
    private static final long CLOCK_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(30);

    /**
     * Records are written by other instances, possibly of another version: read them leniently,
     * whatever the application's mapper does with callers' bodies.
     */
    private static final ObjectMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final ReactiveRedisDataSource redis;
    private final Duration timeout;
    private final int maxKeysPerTenant;
    private final TenantCallLimit calls;
    private volatile boolean answering = true;
    /** {offset millis, nanoTime when read}; null until the first command. */
    private volatile long[] clockOffset;
    private final AtomicBoolean clockRefreshing = new AtomicBoolean();

    @Inject
    RedisStateStore(ReactiveRedisDataSource redis, GatewayConfig config,
            @ConfigProperty(name = "quarkus.redis.max-pool-size", defaultValue = "6") int maxPoolSize) {
        this(redis, config.storeTimeout(), config.redisStore().maxKeysPerTenant(),
                config.redisStore().maxCallsPerTenant().orElse(Math.max(1, maxPoolSize / 2)));
    }

    /** Another instance in tests: no bound on records, and calls bounded by its pool alone. */
    RedisStateStore(ReactiveRedisDataSource redis, Duration timeout) {
        this(redis, timeout, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    RedisStateStore(ReactiveRedisDataSource redis, Duration timeout, int maxKeysPerTenant, int maxCallsPerTenant) {
        this.redis = redis;
        this.timeout = timeout;
        this.maxKeysPerTenant = maxKeysPerTenant;
        this.calls = new TenantCallLimit(maxCallsPerTenant);
    }

    @Override
    public Uni<Optional<Held>> claim(String tenant, String key, IdempotencyRecord inFlight, Duration lease, Duration retention,
            IdempotencyRecord.Answer unknown) {
        return timed(tenant, deadline -> redis.execute("EVAL", CLAIM, "2", key(tenant, key), index(tenant), write(inFlight),
                millis(lease), millis(retention), write(unknown), String.valueOf(deadline), String.valueOf(maxKeysPerTenant)).map(reply -> {
                    if (reply.size() == 0) {
                        return Optional.<Held>empty();
                    }
                    if (reply.size() == 1) {
                        if ("full".equals(reply.get(0).toString())) {
                            throw new StoreFullException(tenant, "idempotency records");
                        }
                        throw new LateCommand();
                    }
                    return Optional.of(new Held(read(reply.get(0).toString()), Duration.ofMillis(reply.get(1).toLong())));
                }));
    }

    @Override
    public Uni<Boolean> markSending(String tenant, String key, String owner, Duration lease) {
        return timed(tenant, deadline -> redis.execute("EVAL", MARK_SENDING, "1", key(tenant, key), owner, millis(lease), String.valueOf(deadline))
                .map(done -> done.toLong() == 1));
    }

    @Override
    public Uni<Boolean> save(String tenant, String key, IdempotencyRecord completed, Duration retention) {
        return timed(tenant, redis.execute("EVAL", SAVE, "2", key(tenant, key), index(tenant), write(completed), completed.owner(),
                millis(retention))
                .map(done -> done.toLong() == 1));
    }

    @Override
    public Uni<Boolean> release(String tenant, String key, String owner) {
        return timed(tenant, redis.execute("EVAL", RELEASE, "2", key(tenant, key), index(tenant), owner).map(done -> done.toLong() == 1));
    }

    @Override
    public Uni<Reservation> reserve(String tenant, List<Counter> counters, Duration window, String attemptId) {
        return timed(tenant, deadline -> {
            List<String> keys = new ArrayList<>();
            List<String> args = new ArrayList<>(List.of(attemptId, String.valueOf(deadline), millis(StateStore.REFUND_HORIZON),
                    String.valueOf(counters.size())));
            counters.forEach(counter -> keys.add(key(tenant, counter.key())));
            for (Counter counter : counters) {
                args.add(String.valueOf(counter.limit()));
                args.add(millis(counter.windowOr(window)));
                if (counter.slices() == 0) {
                    args.add("0");
                    args.add("0");
                } else {
                    keys.add(recent(tenant, counter));
                    args.add(String.valueOf(counter.sliceMillis()));
                    args.add(String.valueOf(keys.size()));
                }
            }
            List<String> command = new ArrayList<>(List.of(RESERVE, String.valueOf(keys.size())));
            command.addAll(keys);
            command.addAll(args);
            return redis.execute("EVAL", command.toArray(String[]::new)).map(reply -> {
                long wait = reply.get(0).toLong();
                if (wait < 0) {
                    throw new LateCommand();
                }
                List<Integer> used = new ArrayList<>(counters.size());
                for (int i = 1; i <= counters.size(); i++) {
                    used.add(reply.get(i).toInteger());
                }
                return new Reservation(wait == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(wait)), used);
            });
        });
    }

    @Override
    public Uni<Void> refund(String tenant, List<Counter> counters, String attemptId) {
        return observed(Uni.join().all(counters.stream()
                .map(counter -> calls.run(tenant, counter.slices() == 0 ? redis.execute("ZREM", key(tenant, counter.key()), attemptId)
                        : redis.execute("EVAL", REFUND_SLICE, "2", key(tenant, counter.key()), recent(tenant, counter), attemptId,
                                String.valueOf(counter.sliceMillis())), timeout))
                .toList())
                .andFailFast().replaceWithVoid());
    }

    /** A sliced counter's attempts of the refund horizon, next to it in the tenant's hash slot. */
    private static String recent(String tenant, Counter counter) {
        return key(tenant, counter.key() + ":recent");
    }

    /** The hash tag {tenant} puts all of a tenant's keys in one slot: a reservation's script may touch them together on a cluster. */
    private static String key(String tenant, String key) {
        return "gw:{" + tenant + "}:" + key;
    }

    /** Every idempotency record of the tenant, scored by its expiry; it shares the records' hash slot, for the scripts. */
    private static String index(String tenant) {
        return key(tenant, "idempotency-records");
    }

    @Override
    public Uni<Boolean> isReachable() {
        return timed(redis.execute("PING").map(pong -> pong != null));
    }

    @Override
    public boolean answering() {
        return answering;
    }

    /** A call of {@code tenant}'s: it waits for one of the tenant's places, within its deadline. */
    private <T> Uni<T> timed(String tenant, Uni<T> call) {
        return observed(calls.run(tenant, call, timeout));
    }

    private <T> Uni<T> timed(Uni<T> call) {
        return observed(call.ifNoItem().after(timeout).fail());
    }

    /** A full tenant share is an answer; a call that waited in its tenant's own queue says nothing about the store. */
    private <T> Uni<T> observed(Uni<T> call) {
        return onCallersContext(call).onItemOrFailure().invoke((item, failure) -> {
            if (failure == null || failure instanceof StoreFullException) {
                answering = true;
            } else if (!(failure instanceof StoreCallNotSent)) {
                answering = false;
            }
        });
    }

    /**
     * The client completes a call on the context it happens to be on: a failed connection attempt
     * fails every waiter on the context of the request that started it, and a deadline fires on a
     * timer thread. What follows the call (the answer's requestId, the log line's tenant) reads the
     * request's own context, so the outcome goes back there.
     */
    private static <T> Uni<T> onCallersContext(Uni<T> call) {
        return Uni.createFrom().deferred(() -> {
            Context caller = Vertx.currentContext();
            if (caller == null) {
                return call;
            }
            return call.emitOn(next -> {
                if (Vertx.currentContext() == caller) {
                    next.run();
                } else {
                    caller.runOnContext(ignored -> next.run());
                }
            });
        });
    }

    /**
     * A command that must do nothing once its caller has given up: it gets the caller's deadline in
     * Redis' clock, estimated from a {@code TIME} read at most {@link #CLOCK_REFRESH_NANOS} ago.
     */
    private <T> Uni<T> timed(String tenant, Function<Long, Uni<T>> command) {
        return observed(Uni.createFrom().deferred(() -> {
            // per subscription: a retried command gets a deadline of its own; taken before the wait
            // for a place, which counts against the deadline like any other wait
            long issued = System.currentTimeMillis();
            return calls.run(tenant, Uni.createFrom().deferred(this::redisClockOffset)
                    .flatMap(offset -> command.apply(issued + timeout.toMillis() + offset)), timeout);
        }));
    }

    /** Redis' clock minus ours, over-estimated by up to one round trip: a command on time is never taken for a late one. */
    private Uni<Long> redisClockOffset() {
        long[] known = clockOffset;
        // one caller reads TIME when the estimate is stale; the others go on with the stale one meanwhile
        if (known != null && (System.nanoTime() - known[1] < CLOCK_REFRESH_NANOS || !clockRefreshing.compareAndSet(false, true))) {
            return Uni.createFrom().item(known[0]);
        }
        long sent = System.currentTimeMillis();
        return redis.execute("TIME").map(time -> {
            long redisNow = time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000;
            long offset = redisNow - sent; // the most Redis can be ahead: it read TIME after we sent
            clockOffset = new long[] { offset, System.nanoTime() };
            return offset;
        }).eventually(() -> clockRefreshing.set(false));
    }

    private static String millis(Duration duration) {
        return String.valueOf(duration.toMillis());
    }

    /** A deadline-carrying command that reached Redis after its caller gave up, and so did nothing. */
    static final class LateCommand extends RuntimeException {
        LateCommand() {
            super("the store ran the command after its caller's deadline; it did nothing", null, false, false);
        }
    }

    private String write(Object record) {
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
