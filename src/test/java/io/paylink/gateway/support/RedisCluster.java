package io.paylink.gateway.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real three-node Redis Cluster on loopback (no replicas), from the OS' redis-server and redis-cli
 * (.ci/run installs them); the gateway's client connects to it in cluster mode. Processes and their
 * files are removed afterwards.
 */
public class RedisCluster implements QuarkusTestResourceLifecycleManager {

    private static final int NODES = 3;

    private final List<Process> servers = new ArrayList<>();
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("redis-cluster-test");
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                int port = freePort();
                ports.add(port);
                servers.add(new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                        "--cluster-enabled", "yes", "--cluster-port", String.valueOf(freePort()),
                        "--cluster-config-file", "nodes-" + port + ".conf", "--dir", dir.toString(),
                        "--save", "", "--appendonly", "no")
                        .redirectErrorStream(true).redirectOutput(dir.resolve("server-" + port + ".log").toFile()).start());
            }
            for (int port : ports) {
                awaitOutput(List.of("redis-cli", "-p", String.valueOf(port), "ping"), "PONG");
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            ports.forEach(port -> create.add("127.0.0.1:" + port));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            String created = run(create);
            if (!created.contains("All 16384 slots covered")) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + created);
            }
            for (int port : ports) {
                awaitOutput(List.of("redis-cli", "-p", String.valueOf(port), "cluster", "info"), "cluster_state:ok");
            }
            return Map.of("quarkus.redis.client-type", "cluster",
                    "quarkus.redis.hosts", ports.stream().map(port -> "redis://127.0.0.1:" + port).collect(Collectors.joining(",")));
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException("could not start a Redis Cluster (are redis-server and redis-cli installed?)", e);
        }
    }

    @Override
    public void stop() {
        try {
            for (Process server : servers) {
                server.destroy();
                server.waitFor();
            }
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            process.waitFor();
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls until the command's output contains {@code expected}: a node starting, or the cluster settling. */
    private static void awaitOutput(List<String> command, String expected) throws IOException {
        for (int attempt = 0; !run(command).contains(expected); attempt++) {
            if (attempt == 500) {
                throw new IllegalStateException(String.join(" ", command) + " never said " + expected);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
