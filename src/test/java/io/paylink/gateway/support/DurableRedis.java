package io.paylink.gateway.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import redis.embedded.RedisServer;

/**
 * A real redis-server that writes every command to its append-only file before answering, so that
 * it can crash and come back on the same port with what it had acknowledged: what a Redis fail-over
 * or restart looks like to the gateway. Whatever it had not yet read from its sockets is lost.
 */
public class DurableRedis implements QuarkusTestResourceLifecycleManager {

    private Path dir;
    private int port;
    private RedisServer server;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("durable-redis");
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            launch();
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start redis-server", e);
        }
    }

    private void launch() throws IOException {
        server = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                .setting("dir " + dir).setting("pidfile " + dir.resolve("redis.pid"))
                .setting("save \"\"").setting("appendonly yes").setting("appendfsync always").build();
        server.start();
    }

    public long pid() {
        try {
            return Long.parseLong(Files.readString(dir.resolve("redis.pid")).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILLs the server (frozen or not) and starts it again from its append-only file. */
    public void crashAndRestart() {
        Signals.kill(pid());
        try {
            server.stop();
        } catch (IOException alreadyGone) {
            // the process is dead already; stop() only tidies the library's side
        }
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException("could not restart redis-server", e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.MatchesType(DurableRedis.class));
    }

    @Override
    public void stop() {
        try {
            if (server != null) {
                server.stop();
            }
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
