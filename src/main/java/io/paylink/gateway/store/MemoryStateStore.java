package io.paylink.gateway.store;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import io.smallrye.mutiny.Uni;

/**
 * One gateway instance's state, expiring (Caffeine). Right for a single instance; with several,
 * each counts alone and keys are not shared: use Redis. Each tenant has its own share, bounded in
 * live entries of each kind. Entries only ever leave by their own time-to-live: evicting a claim or
 * a stored answer early would let a retry send again, so a full share refuses new entries instead
 * ({@link StoreFullException}), and other tenants' shares are untouched by it.
 */
public class MemoryStateStore implements StateStore {

    private record Expiring<V>(V value, long ttlNanos) {
    }

    /** An update that keeps the entry's remaining time (Redis' KEEPTTL). */
    private static final long KEEP_TTL = -1;

    /**
     * Attempts in one sliding window, oldest first: {timestamp millis, attempt id}. A sliced counter
     * keeps only those of the refund horizon here, and its counts per slice index in {@code slices}.
     */
    private static final class Attempts {
        final Deque<Object[]> log = new ArrayDeque<>();
        final TreeMap<Long, Integer> slices = new TreeMap<>();
    }

    /**
     * One tenant's share. Entries are added only under the cache's own lock, so that concurrent
     * claims cannot together overshoot the bound; the lock is per tenant, so one tenant's traffic
     * never waits for another's.
     */
    private final class Partition {
        final Cache<String, Expiring<IdempotencyRecord>> records = expiring();
        final Cache<String, Expiring<Attempts>> attempts = expiring();

        private <V> Cache<String, Expiring<V>> expiring() {
            // Caffeine's upkeep is a few microseconds: doing it on the calling thread is cheaper than
            // waking a ForkJoinPool thread for it after most requests.
            return Caffeine.newBuilder().executor(Runnable::run).ticker(ticker).expireAfter(new OwnTtl<V>()).build();
        }
    }

    private final int maxEntriesPerTenant;
    private final Ticker ticker;
    private final Map<String, Partition> partitions = new ConcurrentHashMap<>();

    public MemoryStateStore(int maxEntriesPerTenant) {
        this(maxEntriesPerTenant, Ticker.systemTicker());
    }

    /** {@code ticker}: the clock of every time-to-live and window, so that tests can move time on. */
    MemoryStateStore(int maxEntriesPerTenant, Ticker ticker) {
        this.maxEntriesPerTenant = maxEntriesPerTenant;
        this.ticker = ticker;
    }

    /** The same rules as RedisStateStore's CLAIM script, under the tenant's lock. */
    @Override
    public Uni<Optional<Held>> claim(String tenant, String key, IdempotencyRecord inFlight, Duration lease, Duration retention,
            IdempotencyRecord.Answer unknown) {
        return Uni.createFrom().item(() -> {
            Cache<String, Expiring<IdempotencyRecord>> records = partition(tenant).records;
            synchronized (records) {
                long now = nowMillis();
                Expiring<IdempotencyRecord> held = records.getIfPresent(key);
                if (held != null) {
                    IdempotencyRecord record = held.value();
                    long leaseLeft = record.completed() ? 0 : record.leaseUntil() - now;
                    if (record.completed() || leaseLeft > 0) {
                        return Optional.of(new Held(record, Duration.ofMillis(leaseLeft)));
                    }
                    if (record.mayHaveSent()) {
                        IdempotencyRecord lost = record.completedWith(unknown);
                        records.put(key, new Expiring<>(lost, KEEP_TTL));
                        return Optional.of(new Held(lost, Duration.ZERO));
                    }
                } else {
                    makeRoom(records, 1, tenant, "Idempotency-Keys");
                }
                records.put(key, new Expiring<>(inFlight.leasedUntil(now + lease.toMillis()), retention.toNanos()));
                return Optional.<Held>empty();
            }
        });
    }

    @Override
    public Uni<Boolean> markSending(String tenant, String key, String owner, Duration lease) {
        return Uni.createFrom().item(() -> {
            long until = nowMillis() + lease.toMillis();
            return replaceIfOwner(tenant, key, owner, held -> new Expiring<>(held.markedSending(until), KEEP_TTL));
        });
    }

    /** A record the store lost is written anew, so it needs room like a claim. */
    @Override
    public Uni<Boolean> save(String tenant, String key, IdempotencyRecord completed, Duration retention) {
        return Uni.createFrom().item(() -> {
            Cache<String, Expiring<IdempotencyRecord>> records = partition(tenant).records;
            synchronized (records) {
                Expiring<IdempotencyRecord> held = records.getIfPresent(key);
                if (held == null) {
                    makeRoom(records, 1, tenant, "Idempotency-Keys");
                } else if (!held.value().owner().equals(completed.owner()) || held.value().completed()) {
                    return false;
                }
                records.put(key, new Expiring<>(completed, retention.toNanos()));
                return true;
            }
        });
    }

    @Override
    public Uni<Boolean> release(String tenant, String key, String owner) {
        return Uni.createFrom().item(() -> replaceIfOwner(tenant, key, owner, held -> null));
    }

    /** Replaces (or, with null, removes) the record under {@code key} only while {@code owner}'s uncompleted claim holds it. */
    private boolean replaceIfOwner(String tenant, String key, String owner,
            Function<IdempotencyRecord, Expiring<IdempotencyRecord>> replacement) {
        Cache<String, Expiring<IdempotencyRecord>> records = partition(tenant).records;
        // under the tenant's lock, like claim: a claim taking over a lapsed lease reads and then
        // writes, and a mark landing between the two would be overwritten and its send go unseen
        synchronized (records) {
            Expiring<IdempotencyRecord> held = records.getIfPresent(key);
            if (held == null || !held.value().owner().equals(owner) || held.value().completed()) {
                return false;
            }
            Expiring<IdempotencyRecord> replaced = replacement.apply(held.value());
            if (replaced == null) {
                records.invalidate(key);
            } else {
                records.put(key, replaced);
            }
            return true;
        }
    }

    /** Under the tenant's lock: a reservation spans several counters and must be all or nothing. */
    @Override
    public Uni<Reservation> reserve(String tenant, List<Counter> counters, Duration window, String attemptId) {
        return Uni.createFrom().item(() -> {
            Cache<String, Expiring<Attempts>> attempts = partition(tenant).attempts;
            synchronized (attempts) {
                return reserve(tenant, attempts, counters, window, attemptId);
            }
        });
    }

    private Reservation reserve(String tenant, Cache<String, Expiring<Attempts>> attempts, List<Counter> counters,
            Duration window, String attemptId) {
        long now = nowMillis();
        long waitMillis = 0;
        List<Integer> used = new ArrayList<>(counters.size());
        List<String> missing = new ArrayList<>(counters.size());
        for (Counter counter : counters) {
            Expiring<Attempts> held = attempts.getIfPresent(counter.key());
            Attempts counted = held == null ? new Attempts() : held.value();
            if (held == null && !missing.contains(counter.key())) {
                missing.add(counter.key());
            }
            long windowMillis = counter.windowOr(window).toMillis();
            int count;
            long freesAt;
            if (counter.slices() == 0) {
                dropBefore(counted.log, now - windowMillis);
                count = counted.log.size();
                freesAt = count == 0 ? 0 : (long) counted.log.peekFirst()[0] + windowMillis;
            } else {
                long slice = counter.sliceMillis();
                dropBefore(counted.log, now - StateStore.REFUND_HORIZON.toMillis());
                counted.slices.headMap(Math.floorDiv(now - windowMillis, slice)).clear();
                count = counted.slices.values().stream().mapToInt(Integer::intValue).sum();
                freesAt = count == 0 ? 0 : (counted.slices.firstKey() + 1) * slice + windowMillis;
            }
            used.add(count);
            if (count >= counter.limit()) {
                waitMillis = Math.max(waitMillis, Math.max(1, freesAt - now));
            }
        }
        if (waitMillis > 0) {
            return new Reservation(Optional.of(Duration.ofMillis(waitMillis)), used);
        }
        makeRoom(attempts, missing.size(), tenant, "resend-limit counters");
        for (int i = 0; i < counters.size(); i++) {
            Counter counter = counters.get(i);
            Duration ttl = counter.slices() == 0 ? counter.windowOr(window)
                    : counter.windowOr(window).plusMillis(counter.sliceMillis());
            Expiring<Attempts> held = attempts.get(counter.key(), k -> new Expiring<>(new Attempts(), ttl.toNanos()));
            held.value().log.addLast(new Object[] { now, attemptId });
            if (counter.slices() > 0) {
                held.value().slices.merge(now / counter.sliceMillis(), 1, Integer::sum);
            }
            attempts.put(counter.key(), new Expiring<>(held.value(), ttl.toNanos())); // restarts its expiry: the newest attempt must live a whole window
            used.set(i, used.get(i) + 1);
        }
        return new Reservation(Optional.empty(), used);
    }

    private static void dropBefore(Deque<Object[]> log, long oldest) {
        while (!log.isEmpty() && (long) log.peekFirst()[0] <= oldest) {
            log.pollFirst();
        }
    }

    @Override
    public Uni<Void> refund(String tenant, List<Counter> counters, String attemptId) {
        return Uni.createFrom().item(() -> {
            Cache<String, Expiring<Attempts>> attempts = partition(tenant).attempts;
            synchronized (attempts) {
                for (Counter counter : counters) {
                    Expiring<Attempts> held = attempts.getIfPresent(counter.key());
                    if (held == null) {
                        continue;
                    }
                    for (Iterator<Object[]> log = held.value().log.iterator(); log.hasNext();) {
                        Object[] entry = log.next();
                        if (attemptId.equals(entry[1])) {
                            log.remove();
                            if (counter.slices() > 0) {
                                held.value().slices.computeIfPresent((long) entry[0] / counter.sliceMillis(),
                                        (slice, count) -> count > 1 ? count - 1 : null);
                            }
                        }
                    }
                }
            }
            return null;
        });
    }

    @Override
    public Uni<Boolean> isReachable() {
        return Uni.createFrom().item(true);
    }

    @Override
    public boolean answering() {
        return true;
    }

    /**
     * Every key of the tenant's share with the record it holds (a counter's attempts are times and
     * random ids): what a heap dump would show of it. Read by the tests that check no contact is in it.
     */
    Map<String, String> contents(String tenant) {
        Partition partition = partition(tenant);
        Map<String, String> contents = new TreeMap<>();
        partition.records.asMap().forEach((key, held) -> contents.put(key, String.valueOf(held.value())));
        partition.attempts.asMap().keySet().forEach(key -> contents.put(key, "attempts"));
        return contents;
    }

    /**
     * Fails unless {@code cache} can take {@code needed} more entries. Caffeine's size still counts
     * expired entries it has not cleaned up yet, so a share that looks full is cleaned before it is
     * refused: only live entries hold room.
     */
    private void makeRoom(Cache<String, ?> cache, int needed, String tenant, String kind) {
        if (needed == 0 || cache.estimatedSize() + needed <= maxEntriesPerTenant) {
            return;
        }
        cache.cleanUp();
        if (cache.estimatedSize() + needed > maxEntriesPerTenant) {
            throw new StoreFullException(tenant, kind);
        }
    }

    private long nowMillis() {
        return ticker.read() / 1_000_000;
    }

    private Partition partition(String tenant) {
        return partitions.computeIfAbsent(tenant, t -> new Partition());
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
