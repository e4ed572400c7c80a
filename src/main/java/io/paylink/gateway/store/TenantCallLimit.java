package io.paylink.gateway.store;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * At most {@code limit} store calls of one tenant in flight in this instance; the tenant's further
 * calls wait in a queue of its own. The connection pool is shared by every tenant and serves its
 * waiters first come, first served: without this, a tenant's flood queues there ahead of every other
 * tenant's calls and pushes them past the store time-out. With it, a flooding tenant holds at most
 * its share of the connections and queues behind itself.
 * <p>
 * Hand-written rather than SmallRye's bulkhead: on a Uni, that bulkhead keeps a call whose caller
 * gave up (the store time-out cancelled it) in its queue and still runs it later, so under a flood
 * the tenant's queue would fill with calls nobody waits for; and it bounds the queue by number,
 * where the store time-out already bounds every wait. Here a cancelled waiter leaves the queue.
 * <p>
 * A call that started keeps its place until Redis answers it, even when its caller gave up: its
 * connection is busy until then, and the place stands for the connection.
 */
final class TenantCallLimit {

    private final int limit;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    TenantCallLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a tenant needs at least one store call in flight, not " + limit);
        }
        this.limit = limit;
    }

    /**
     * {@code call} once the tenant has a place, failed when {@code timeout} passes first: with
     * {@link StoreCallNotSent} while it still waited. {@code call} is assembled by the caller on its
     * own context, so that a call started later on the thread of another call's answer still carries
     * its own request's context.
     */
    <T> Uni<T> run(String tenant, Uni<T> call, Duration timeout) {
        Lane lane = lanes.computeIfAbsent(tenant, t -> new Lane());
        return Uni.createFrom().deferred(() -> {
            Waiter<T> waiter = new Waiter<>(call);
            return Uni.createFrom().<T> emitter(emitter -> lane.enter(waiter.on(emitter)))
                    .ifNoItem().after(timeout).failWith(() -> waiter.giveUp() ? new StoreCallNotSent(tenant) : new TimeoutException());
        });
    }

    private final class Lane {
        private int running;
        private final ArrayDeque<Waiter<?>> waiting = new ArrayDeque<>();
        /**
         * Waiters whose caller gave up stay queued and are skipped when their turn comes: taking each
         * out at once would cost a scan of the queue per time-out, when a flood times out by the
         * thousand. A queue that grew past this is swept, so that it holds mostly live waiters.
         */
        private int sweepAt = 64;

        void enter(Waiter<?> waiter) {
            waiter.emitter.onTermination(waiter::giveUp);
            synchronized (this) {
                if (running >= limit) {
                    waiting.add(waiter);
                    if (waiting.size() >= sweepAt) {
                        waiting.removeIf(Waiter::givenUp);
                        sweepAt = Math.max(64, 2 * waiting.size());
                    }
                    return;
                }
                running++;
            }
            if (waiter.start(this)) {
                return;
            }
            leave();
        }

        /** Hands the place on to the first waiter still waited for, or gives it back. */
        void leave() {
            while (true) {
                Waiter<?> next;
                synchronized (this) {
                    next = waiting.poll();
                    if (next == null) {
                        running--;
                        return;
                    }
                }
                if (next.start(this)) {
                    return;
                }
            }
        }
    }

    private static final class Waiter<T> {
        private static final int WAITING = 0;
        private static final int STARTED = 1;
        private static final int GIVEN_UP = 2;

        final Uni<T> call;
        UniEmitter<? super T> emitter;
        /**
         * Started or given up, whichever comes first, and for good: a call reported as never sent
         * must never start afterwards, since nothing would undo what it writes.
         */
        private final AtomicInteger state = new AtomicInteger(WAITING);
        private final AtomicBoolean left = new AtomicBoolean();

        Waiter(Uni<T> call) {
            this.call = call;
        }

        Waiter<T> on(UniEmitter<? super T> emitter) {
            this.emitter = emitter;
            return this;
        }

        /** True when the caller gave up before the call started: it never will. */
        boolean giveUp() {
            return state.compareAndSet(WAITING, GIVEN_UP) || state.get() == GIVEN_UP;
        }

        boolean givenUp() {
            return state.get() == GIVEN_UP;
        }

        /** Starts the call in {@code lane}'s place; false, and the place is not taken, when the caller gave up. */
        boolean start(Lane lane) {
            if (!state.compareAndSet(WAITING, STARTED)) {
                return false;
            }
            try {
                call.subscribe().with(item -> {
                    leave(lane);
                    emitter.complete(item);
                }, failure -> {
                    leave(lane);
                    emitter.fail(failure);
                });
            } catch (RuntimeException e) {
                leave(lane);
                emitter.fail(e);
            }
            return true;
        }

        private void leave(Lane lane) {
            if (left.compareAndSet(false, true)) {
                lane.leave();
            }
        }
    }
}
