package io.paylink.gateway.support;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import redis.embedded.RedisServer;

/**
 * A real three-node Redis Cluster on loopback (no replicas), from the redis-server binary that ships
 * in the embedded-redis test jar (Redis 6.2), so a fresh machine needs nothing installed. The cluster
 * is formed as redis-cli --cluster create would, over a plain socket: each node meets the first and
 * takes a third of the slots. Processes and their files are removed afterwards.
 */
public class RedisCluster implements QuarkusTestResourceLifecycleManager {

    private static final int NODES = 3;
    private static final int SLOTS = 16384;
    /** Redis 6.2 has no cluster-port setting: a node's cluster bus listens on its port + 10000. */
    private static final int BUS_PORT_OFFSET = 10_000;
    private static final Duration SETTLE = Duration.ofSeconds(15);

    private final List<RedisServer> servers = new ArrayList<>();
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("redis-cluster-test");
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                // each node is started before the next port is chosen, so that no two nodes pick overlapping ports
                int port = freePortWithFreeBusPort();
                RedisServer server = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                        .setting("cluster-enabled yes").setting("cluster-config-file nodes-" + port + ".conf")
                        .setting("dir " + dir).setting("save \"\"").setting("appendonly no").build();
                servers.add(server);
                server.start();
                ports.add(port);
            }
            for (int i = 0; i < NODES; i++) {
                if (i > 0) {
                    send(ports.get(i), List.of("CLUSTER", "MEET", "127.0.0.1", String.valueOf(ports.get(0))));
                }
                List<String> addSlots = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
                for (int slot = i * SLOTS / NODES; slot < (i + 1) * SLOTS / NODES; slot++) {
                    addSlots.add(String.valueOf(slot));
                }
                send(ports.get(i), addSlots);
            }
            for (int port : ports) {
                awaitClusterOk(port);
            }
            return Map.of("quarkus.redis.client-type", "cluster",
                    "quarkus.redis.hosts", ports.stream().map(port -> "redis://127.0.0.1:" + port).collect(Collectors.joining(",")));
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException("could not start a Redis Cluster", e);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    @Override
    public void stop() {
        try {
            for (RedisServer server : servers) {
                server.stop();
            }
            servers.clear();
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePortWithFreeBusPort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket node = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = node.getLocalPort();
                if (port + BUS_PORT_OFFSET > 65_535) {
                    continue;
                }
                try (ServerSocket bus = new ServerSocket(port + BUS_PORT_OFFSET, 1, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException taken) {
                    // try another port
                }
            }
        }
        throw new IOException("found no free port whose port + " + BUS_PORT_OFFSET + " was free too");
    }

    /** Nodes learn of each other and of their slots by gossip: each must come to see every slot served. */
    private static void awaitClusterOk(int port) throws IOException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        String info = send(port, List.of("CLUSTER", "INFO"));
        while (!info.contains("cluster_state:ok")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the node on port " + port + " did not say cluster_state:ok within "
                        + SETTLE + "; its last CLUSTER INFO:\n" + info);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            info = send(port, List.of("CLUSTER", "INFO"));
        }
    }

    /**
     * One command in Redis' protocol (RESP) on a new connection: the reply as text if it is a status
     * or a bulk string (the only kinds these commands answer), an exception if it is an error.
     */
    private static String send(int port, List<String> command) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            StringBuilder request = new StringBuilder("*").append(command.size()).append("\r\n");
            command.forEach(arg -> request.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n"));
            socket.getOutputStream().write(request.toString().getBytes(US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), US_ASCII));
            String reply = in.readLine();
            if (reply == null || reply.isEmpty()) {
                throw new EOFException(command.get(0) + " " + command.get(1) + " on port " + port + ": no reply");
            }
            switch (reply.charAt(0)) {
                case '-':
                    throw new IllegalStateException(command.get(0) + " " + command.get(1) + " on port " + port + ": " + reply);
                case '$':
                    char[] body = new char[Integer.parseInt(reply.substring(1))];
                    for (int read = 0; read < body.length;) {
                        int n = in.read(body, read, body.length - read);
                        if (n < 0) {
                            throw new EOFException(command.get(0) + " " + command.get(1) + " on port " + port + ": reply cut short");
                        }
                        read += n;
                    }
                    return new String(body);
                default:
                    return reply.substring(1);
            }
        }
    }
}
