package io.paylink.gateway.support;

import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * Waits for a count that the gateway or Front Payment's stub bring about on other threads, where a
 * fixed pause would be too short on a slow machine and too long on a fast one. A test that went on
 * without the count would fail for another reason, or pass for a wrong one: this fails instead.
 */
public final class Await {

    private static final Duration LIMIT = Duration.ofSeconds(10);

    private Await() {
    }

    public static void count(String what, IntSupplier seen, int wanted) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        int last;
        while ((last = seen.getAsInt()) != wanted) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": saw " + last + " after " + LIMIT + ", waited for " + wanted);
            }
            Thread.sleep(20);
        }
    }

    /** For a count that keeps growing: at least {@code wanted}. */
    public static void atLeast(String what, IntSupplier seen, int wanted) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        int last;
        while ((last = seen.getAsInt()) < wanted) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": saw " + last + " after " + LIMIT + ", waited for at least " + wanted);
            }
            Thread.sleep(20);
        }
    }
}
