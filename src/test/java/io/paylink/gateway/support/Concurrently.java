package io.paylink.gateway.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import io.restassured.response.Response;

/** Sends requests from as many threads, released at the same instant, and collects the answers. */
public final class Concurrently {

    private Concurrently() {
    }

    /** What the test does on the calling thread while the requests are in flight. */
    @FunctionalInterface
    public interface Meanwhile {
        void run() throws Exception;
    }

    /** {@code meanwhile} runs on the calling thread while the requests are in flight. */
    public static List<Response> send(int count, IntFunction<Response> request, Meanwhile meanwhile) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return request.apply(n);
                }));
            }
            start.countDown();
            meanwhile.run();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> answer : answers) {
                responses.add(answer.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }
}
