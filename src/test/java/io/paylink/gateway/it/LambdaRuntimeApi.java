package io.paylink.gateway.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Stands in for AWS Lambda's side of the Runtime API (2018-06-01), the HTTP API a custom runtime's
 * {@code bootstrap} and Quarkus' Lambda poll loop speak through {@code AWS_LAMBDA_RUNTIME_API}: the
 * function long-polls {@code invocation/next} for an event and posts its answer to
 * {@code invocation/<id>/response} (or {@code /error}). As WireMock stands in for Front Payment,
 * this stands in for AWS: what the function receives and answers is the real wire format, so the
 * function under test is the packaged artifact, untouched. Quarkus' own mock event server does
 * the same, but it ships inside the Lambda extension, which this project's other tests must not load.
 */
final class LambdaRuntimeApi implements AutoCloseable {

    private static final String PREFIX = "/2018-06-01/runtime/";

    private record Invocation(String id, String event) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<String>> answers = new ConcurrentHashMap<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();

    LambdaRuntimeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads); // invocation/next blocks its thread until there is an event
        server.createContext(PREFIX, this::handle);
        server.start();
    }

    /** The value of {@code AWS_LAMBDA_RUNTIME_API} for the function. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Hands the event to the function and waits for its answer: the JSON it posted as the response. */
    String invoke(String event) throws Exception {
        String id = UUID.randomUUID().toString();
        CompletableFuture<String> answer = new CompletableFuture<>();
        answers.put(id, answer);
        pending.add(new Invocation(id, event));
        try {
            return answer.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the function did not answer invocation " + id
                    + (initError.isDone() ? "; it reported an init error: " + initError.join() : ""), e);
        } finally {
            answers.remove(id);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            String body = read(exchange.getRequestBody());
            if (path.equals("invocation/next")) {
                Invocation next = pending.take();
                exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", next.id());
                exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms",
                        Long.toString(System.currentTimeMillis() + 30_000));
                exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                        "arn:aws:lambda:eu-north-1:000000000000:function:resend-gateway");
                exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id",
                        "Root=1-00000000-000000000000000000000000;Sampled=0");
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                send(exchange, 200, next.event());
            } else if (path.equals("init/error")) {
                initError.complete(body);
                send(exchange, 202, "{}");
            } else if (path.startsWith("invocation/") && path.endsWith("/response")) {
                complete(path, body, false);
                send(exchange, 202, "{}");
            } else if (path.startsWith("invocation/") && path.endsWith("/error")) {
                complete(path, body, true);
                send(exchange, 202, "{}");
            } else {
                send(exchange, 404, "{}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing: the function's pending poll just ends
        }
    }

    private void complete(String path, String body, boolean error) {
        String id = path.split("/")[1];
        CompletableFuture<String> answer = answers.get(id);
        if (answer != null) {
            if (error) {
                answer.completeExceptionally(new AssertionError("the function reported an error: " + body));
            } else {
                answer.complete(body);
            }
        }
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
