package io.paylink.gateway.tenant;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.paylink.gateway.GatewayConfig;
import io.paylink.gateway.metrics.GatewayMetrics;
import io.quarkus.runtime.Startup;

/**
 * Checks the tenants file every {@code gateway.tenants-file-check-interval} and hands a new version
 * to the registry. Checking rather than watching: a Kubernetes or Cloud Run secret is updated by
 * swapping a symbolic link above the file, which file-system events on the file itself do not report.
 * A version is known by its SHA-256, so an unchanged file costs one read, and a refused version is
 * reported once (ERROR lines, a count, wellness), not at every check.
 */
@Startup
@ApplicationScoped
public class TenantsFileReload {

    private static final Logger LOG = Logger.getLogger(TenantsFileReload.class);

    /** The latest version was refused: the tenants in force are an earlier version's. */
    public record Refusal(int problems, Instant at) {
    }

    private final TenantRegistry registry;
    private final GatewayMetrics metrics;
    private final ScheduledExecutorService checks;
    /** The SHA-256 of the last version seen; only the check thread reads and writes it. */
    private byte[] lastSeen;
    private volatile Refusal refusal;

    TenantsFileReload(TenantRegistry registry, GatewayMetrics metrics, GatewayConfig config) {
        this.registry = registry;
        this.metrics = metrics;
        if (registry.file().isEmpty()) {
            this.checks = null;
            return;
        }
        this.checks = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "tenants-file-check");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(1, config.tenantsFileCheckInterval().toMillis());
        checks.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
    }

    public Optional<Path> file() {
        return registry.file();
    }

    /** Empty while the tenants in force are the file's latest version. */
    public Optional<Refusal> refusal() {
        return Optional.ofNullable(refusal);
    }

    void check() {
        try {
            if (lastSeen == null) {
                lastSeen = TenantRegistry.sha256(registry.takeFileAtStart());
            }
            List<String> problems = new ArrayList<>();
            Optional<byte[]> content = TenantsFile.read(registry.file().orElseThrow(), problems);
            byte[] version = content.map(TenantRegistry::sha256).orElse(new byte[0]);
            if (Arrays.equals(version, lastSeen)) {
                return;
            }
            lastSeen = version;
            content.ifPresent(bytes -> problems.addAll(registry.reload(bytes)));
            if (problems.isEmpty()) {
                refusal = null; // before the log line, like a refusal
                LOG.infof("Tenants file reloaded: %d tenants in force", registry.size());
                return;
            }
            // counted and reported before it is logged: whoever reads the log line finds the rest already there
            refusal = new Refusal(problems.size(), Instant.now());
            metrics.tenantsFileRefused();
            problems.forEach(problem -> LOG.error("Tenants file change refused, the tenants in force stay as they were: " + problem));
        } catch (RuntimeException e) {
            // caught: an exception would end the schedule for good. Its class only: a message may quote the file.
            LOG.errorf("Checking the tenants file failed (%s); checking again in the next interval", e.getClass().getName());
        }
    }

    @PreDestroy
    void stop() {
        if (checks != null) {
            checks.shutdownNow();
        }
    }
}
