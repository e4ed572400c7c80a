package io.paylink.gateway.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The packaged prod artifact run as its own process, configured by the given environment alone
 * (nothing inherited, so Failsafe's IT tenant cannot leak in). Works for the jar and for a native
 * executable: the build's quarkus-artifact.properties says which, Failsafe's native.image.path wins.
 * The Lambda form too: {@link #startLambda}.
 * Its stdout and stderr go to one file under target/ (a file, unlike a pipe, keeps every last line).
 */
final class PackagedApp implements AutoCloseable {

    /** Every prod start needs one (docs/configuration.md); an obviously fake one for the tests. */
    static final Map.Entry<String, String> HASH_SECRET = Map.entry("GATEWAY_HASH_SECRET", "it-hash-secret-not-secret-never-use-in-production");

    /** Only to bound a start that never ends; a healthy start takes a few seconds. */
    private static final long START_LIMIT_SECONDS = 120;
    private static final Pattern LISTENING = Pattern.compile("Listening on: https?://[^:]+:(\\d+)");
    /** Quarkus appends it to the "Listening on" line, with the port actually bound. */
    private static final Pattern MANAGEMENT = Pattern.compile("Management interface listening on https?://[^:]+:(\\d+)");

    private final Process process;
    private final Path output;

    private PackagedApp(List<String> command, Map<String, String> environment) throws IOException {
        output = Files.createTempFile(Files.createDirectories(Path.of("target", "packaged-app")), "output-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        // several apps run at once (and others' on this machine): not the fixed default 9000
        builder.environment().putIfAbsent("QUARKUS_MANAGEMENT_PORT", "0");
        process = builder.start();
    }

    static PackagedApp start(Map<String, String> environment) {
        try {
            return new PackagedApp(command(System.getProperty("native.image.path")), environment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The Lambda form (Maven profile lambda, built into target/lambda), polling the Runtime API that
     * {@code AWS_LAMBDA_RUNTIME_API} names: the native executable if lambda.native.image.path is set
     * (what the custom runtime runs as {@code bootstrap}), otherwise the JVM form as AWS' Java base
     * image runs it: function.zip unpacked, its root and lib/*.jar on the class path, and AWS' runtime
     * interface client calling the handler. The JVM form has no poll loop of its own in prod.
     */
    static PackagedApp startLambda(Map<String, String> environment) {
        String nativeImage = System.getProperty("lambda.native.image.path");
        try {
            if (nativeImage != null && !nativeImage.isBlank()) {
                return new PackagedApp(List.of(Path.of(nativeImage).toAbsolutePath().toString()), environment);
            }
            Path function = unzip(Path.of("target", "lambda", "function.zip"));
            String classPath = String.join(File.pathSeparator, function.toString(), function.resolve("lib") + File.separator + "*",
                    System.getProperty("lambda.runtime.classpath"));
            return new PackagedApp(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classPath, "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                    "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"), environment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path unzip(Path zip) throws IOException {
        Path into = Files.createTempDirectory(Files.createDirectories(Path.of("target", "packaged-app")), "function-");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path file = into.resolve(entry.getName()).normalize();
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                } else {
                    Files.createDirectories(file.getParent());
                    Files.copy(in, file);
                }
            }
        }
        return into.toAbsolutePath();
    }

    /** Waits for the process to end by itself and returns its exit code. */
    int exitCode() throws InterruptedException {
        if (!process.waitFor(START_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            close();
            fail("the app did not stop by itself; output:\n" + String.join("\n", lines()));
        }
        return process.exitValue();
    }

    /** Waits until the app says it listens, and returns the public port. */
    int port() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_LIMIT_SECONDS);
        while (System.nanoTime() < deadline) {
            boolean alive = process.isAlive(); // before reading, so that its last lines are in what is read
            for (String line : lines()) {
                Matcher listening = LISTENING.matcher(line);
                if (listening.find()) {
                    return Integer.parseInt(listening.group(1));
                }
            }
            assertTrue(alive, () -> "the app stopped during its start:\n" + String.join("\n", lines()));
            Thread.sleep(100);
        }
        close();
        return fail("the app did not start; output:\n" + String.join("\n", lines()));
    }

    /** Waits until the app says it listens, and returns the management port (health, metrics, OpenAPI). */
    int managementPort() throws InterruptedException {
        port();
        return managementPort(lines()).orElseGet(() -> fail("no management interface in:\n" + String.join("\n", lines())));
    }

    /** The management port a started app's output names, if any. */
    static OptionalInt managementPort(List<String> lines) {
        for (String line : lines) {
            Matcher management = MANAGEMENT.matcher(line);
            if (management.find()) {
                return OptionalInt.of(Integer.parseInt(management.group(1)));
            }
        }
        return OptionalInt.empty();
    }

    /** Everything it wrote to stdout and stderr so far, line by line. */
    List<String> lines() {
        try {
            return Files.readAllLines(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills it the way an OOM killer or a platform's hard stop does (SIGKILL): nothing of it runs on. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Stops it the way a platform does (SIGTERM). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static List<String> command(String nativeImage) throws IOException {
        if (nativeImage != null && !nativeImage.isBlank()) {
            return List.of(Path.of(nativeImage).toAbsolutePath().toString());
        }
        Path target = Path.of("target");
        Properties artifact = new Properties();
        try (Reader in = Files.newBufferedReader(target.resolve("quarkus-artifact.properties"))) {
            artifact.load(in);
        }
        Path path = target.resolve(artifact.getProperty("path")).toAbsolutePath();
        return switch (artifact.getProperty("type")) {
            case "jar" -> List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", path.toString());
            case "native" -> List.of(path.toString());
            default -> throw new IllegalStateException("not a runnable artifact: " + artifact);
        };
    }
}
