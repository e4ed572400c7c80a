package io.paylink.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import redis.embedded.RedisServer;

/**
 * A real redis-server process on loopback (the binary ships inside the embedded-redis test jar,
 * so a fresh machine needs nothing installed). No persistence: every test run starts empty.
 */
public class EmbeddedRedis implements QuarkusTestResourceLifecycleManager {

    private RedisServer server;
    private String url;

    @Override
    public Map<String, String> start() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = probe.getLocalPort();
            probe.close();
            server = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                    .setting("save \"\"").setting("appendonly no").build();
            server.start();
            url = "redis://127.0.0.1:" + port;
            return Map.of("quarkus.redis.hosts", url);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start redis-server", e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.MatchesType(RedisServer.class));
        injector.injectIntoFields(url, new TestInjector.AnnotatedAndMatchesType(InjectRedisUrl.class, String.class));
    }

    @Override
    public void stop() {
        try {
            if (server != null) {
                server.stop();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
