package io.paylink.gateway.store;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.smallrye.mutiny.Uni;

/**
 * One gateway instance's state, bounded and expiring (Caffeine). Right for a single instance; with
 * several, each counts alone and keys are not shared: use Redis. Each tenant has its own bounded
 * caches, so that one tenant flooding unique keys evicts only its own claims and counters.
 */
public class MemoryStateStore implements StateStore {

    private record Expiring<V>(V value, long ttlNanos) {
    }

    /** An update that keeps the entry's remaining time (Redis' KEEPTTL). */
    private static final long KEEP_TTL = -1;

    /** Attempts in one sliding window, oldest first: {timestamp millis, attempt id}. */
    private static final class Attempts {
        final Deque<Object[]> log = new ArrayDeque<>();
    }

    /** One tenant's share: each cache bounded by {@code gateway.memory-store-max-entries}. */
    private static final class Partition {
        final Cache<String, Expiring<IdempotencyRecord>> records;
        final Cache<String, Expiring<Attempts>> attempts;

        Partition(int maxEntries) {
            // Caffeine's upkeep is a few microseconds: doing it on the calling thread is cheaper than
            // waking a ForkJoinPool thread for it after most requests.
            this.records = Caffeine.newBuilder().executor(Runnable::run).maximumSize(maxEntries)
                    .expireAfter(new OwnTtl<IdempotencyRecord>()).build();
            this.attempts = Caffeine.newBuilder().executor(Runnable::run).maximumSize(maxEntries)
                    .expireAfter(new OwnTtl<Attempts>()).build();
        }
    }

    private final int maxEntriesPerTenant;
    private final Map<String, Partition> partitions = new ConcurrentHashMap<>();

    public MemoryStateStore(int maxEntriesPerTenant) {
        this.maxEntriesPerTenant = maxEntriesPerTenant;
    }

    /** The same rules as RedisStateStore's CLAIM script, in one atomic step on the partition's map. */
    @Override
    public Uni<Optional<Held>> claim(String tenant, String key, IdempotencyRecord inFlight, Duration lease, Duration retention,
            IdempotencyRecord.Answer unknown) {
        long now = System.currentTimeMillis();
        Held[] found = { null };
        partition(tenant).records.asMap().compute(key, (k, held) -> {
            if (held != null) {
                IdempotencyRecord record = held.value();
                long leaseLeft = record.completed() ? 0 : record.leaseUntil() - now;
                if (leaseLeft > 0 || record.completed()) {
                    found[0] = new Held(record, Duration.ofMillis(Math.max(leaseLeft, 0)));
                    return held;
                }
                if (record.mayHaveSent()) {
                    IdempotencyRecord lost = record.completedWith(unknown);
                    found[0] = new Held(lost, Duration.ZERO);
                    return new Expiring<>(lost, KEEP_TTL);
                }
            }
            return new Expiring<>(inFlight.leasedUntil(now + lease.toMillis()), retention.toNanos());
        });
        return Uni.createFrom().item(Optional.ofNullable(found[0]));
    }

    @Override
    public Uni<Boolean> markSending(String tenant, String key, String owner, Duration lease) {
        long until = System.currentTimeMillis() + lease.toMillis();
        boolean[] done = { false };
        partition(tenant).records.asMap().computeIfPresent(key, (k, held) -> {
            if (!held.value().owner().equals(owner) || held.value().completed()) {
                return held;
            }
            done[0] = true;
            return new Expiring<>(held.value().markedSending(until), KEEP_TTL);
        });
        return Uni.createFrom().item(done[0]);
    }

    @Override
    public Uni<Boolean> save(String tenant, String key, IdempotencyRecord completed, Duration retention) {
        boolean[] done = { false };
        partition(tenant).records.asMap().compute(key, (k, held) -> {
            if (held != null && (!held.value().owner().equals(completed.owner()) || held.value().completed())) {
                return held;
            }
            done[0] = true;
            return new Expiring<>(completed, retention.toNanos());
        });
        return Uni.createFrom().item(done[0]);
    }

    @Override
    public Uni<Boolean> release(String tenant, String key, String owner) {
        boolean[] done = { false };
        partition(tenant).records.asMap().computeIfPresent(key, (k, held) -> {
            if (!held.value().owner().equals(owner) || held.value().completed()) {
                return held;
            }
            done[0] = true;
            return null;
        });
        return Uni.createFrom().item(done[0]);
    }

    /** One lock for all counters: a reservation spans several keys and must be all or nothing. */
    @Override
    public synchronized Uni<Optional<Duration>> reserve(String tenant, List<Counter> counters, Duration window,
            String attemptId) {
        Cache<String, Expiring<Attempts>> attempts = partition(tenant).attempts;
        long now = System.currentTimeMillis();
        long windowMillis = window.toMillis();
        long waitMillis = 0;
        for (Counter counter : counters) {
            Deque<Object[]> log = attempts(attempts, counter.key(), window).value().log;
            while (!log.isEmpty() && (long) log.peekFirst()[0] <= now - windowMillis) {
                log.pollFirst();
            }
            if (log.size() >= counter.limit()) {
                waitMillis = Math.max(waitMillis, Math.max(1, (long) log.peekFirst()[0] + windowMillis - now));
            }
        }
        if (waitMillis > 0) {
            return Uni.createFrom().item(Optional.of(Duration.ofMillis(waitMillis)));
        }
        for (Counter counter : counters) {
            Expiring<Attempts> held = attempts(attempts, counter.key(), window);
            held.value().log.addLast(new Object[] { now, attemptId });
            attempts.put(counter.key(), held); // restarts its expiry: the newest attempt must live a whole window
        }
        return Uni.createFrom().item(Optional.empty());
    }

    @Override
    public synchronized Uni<Void> refund(String tenant, List<Counter> counters, String attemptId) {
        for (Counter counter : counters) {
            Expiring<Attempts> held = partition(tenant).attempts.getIfPresent(counter.key());
            if (held != null) {
                held.value().log.removeIf(entry -> attemptId.equals(entry[1]));
            }
        }
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Boolean> isReachable() {
        return Uni.createFrom().item(true);
    }

    @Override
    public boolean answering() {
        return true;
    }

    private Partition partition(String tenant) {
        return partitions.computeIfAbsent(tenant, t -> new Partition(maxEntriesPerTenant));
    }

    private static Expiring<Attempts> attempts(Cache<String, Expiring<Attempts>> attempts, String key, Duration window) {
        return attempts.get(key, k -> new Expiring<>(new Attempts(), window.toNanos()));
    }

    /** Each entry lives for the time-to-live it was stored with. */
    private static final class OwnTtl<V> implements Expiry<String, Expiring<V>> {
        @Override
        public long expireAfterCreate(String key, Expiring<V> value, long currentTime) {
            return value.ttlNanos();
        }

        @Override
        public long expireAfterUpdate(String key, Expiring<V> value, long currentTime, long currentDuration) {
            return value.ttlNanos() == KEEP_TTL ? currentDuration : value.ttlNanos();
        }

        @Override
        public long expireAfterRead(String key, Expiring<V> value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
