package io.paylink.gateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The manifests under deploy/ are not compiled or run by anything else in the build, so they
 * would drift from the app silently: this pins them to the app's port, health paths, config keys
 * and JVM flags. Plain JUnit on purpose: no Quarkus app is needed to read files.
 */
class DeployManifestsTest {

    /** Maven runs tests from the project root. */
    private static final Path DEPLOY = Path.of("deploy");

    private static final int HTTP_PORT = 8080;
    /** Quarkus' management interface in prod: health, metrics and OpenAPI, never on HTTP_PORT. */
    private static final int MANAGEMENT_PORT = 9000;

    private static final Map<String, String> PROBE_PATHS = Map.of(
            "livenessProbe", "/q/health/live",
            "readinessProbe", "/q/health/ready",
            "startupProbe", "/q/health/started");

    /** The app's real config keys (docs/configuration.md, GatewayConfig, ops keys); {@code *} is a tenant id. */
    private static final List<String> CONFIG_KEYS = List.of(
            "quarkus.rest-client.front-payment.url",
            "gateway.tenants.\"*\".api-key-sha256",
            "gateway.tenants.\"*\".front-payment-token",
            "gateway.tenants.\"*\".front-payment-url",
            "gateway.upstream.timeout",
            "gateway.store",
            "quarkus.redis.hosts",
            "gateway.resend-limit.per-order",
            "gateway.resend-limit.per-destination",
            "gateway.resend-limit.window",
            "gateway.max-body-size",
            "gateway.hash-secret",
            "gateway.hash-secret-previous",
            // policy knobs of GatewayConfig: not set by the manifests, but legitimate to set
            "gateway.memory-store-max-entries",
            "gateway.redis-store.max-keys-per-tenant",
            "gateway.redis-store.max-calls-per-tenant",
            "gateway.idempotency.retention",
            "gateway.bulkhead.limit",
            "gateway.bulkhead.queue",
            "gateway.upstream.retry.max-retries",
            "gateway.upstream.retry.delay",
            "gateway.upstream.retry.jitter",
            "gateway.upstream.circuit-breaker.request-volume-threshold",
            "gateway.upstream.circuit-breaker.failure-ratio",
            "gateway.upstream.circuit-breaker.delay",
            "gateway.upstream.circuit-breaker.success-threshold",
            "quarkus.otel.exporter.otlp.traces.endpoint",
            "quarkus.otel.sdk.disabled");

    /** Keys whose values are credentials and must never sit in a manifest as literals. */
    private static final List<String> SECRET_KEYS = List.of(
            "gateway.tenants.\"*\".api-key-sha256",
            "gateway.tenants.\"*\".front-payment-token",
            "gateway.hash-secret",
            "gateway.hash-secret-previous");

    /** A prod start without it stops (docs/configuration.md). */
    private static final String HASH_SECRET = "GATEWAY_HASH_SECRET";

    /** Read by the ubi9 OpenJDK images' run-java.sh, not by Quarkus. */
    private static final String JAVA_OPTS_APPEND = "JAVA_OPTS_APPEND";

    private static final YAMLMapper YAML = new YAMLMapper();

    private static List<Doc> docs;
    private static List<Container> containers;
    private static List<EnvVar> envVars;

    record Doc(Path file, JsonNode node) {
        String kind() {
            return node.path("kind").asText();
        }

        String apiVersion() {
            return node.path("apiVersion").asText();
        }

        /** Cloud Run speaks the Knative dialect but marks itself with run.googleapis.com annotations. */
        boolean isCloudRun() {
            return hasCloudRunAnnotation(node.path("metadata"))
                    || hasCloudRunAnnotation(node.path("spec").path("template").path("metadata"));
        }

        private static boolean hasCloudRunAnnotation(JsonNode metadata) {
            Iterator<String> names = metadata.path("annotations").fieldNames();
            while (names.hasNext()) {
                if (names.next().startsWith("run.googleapis.com/")) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code pod} is the object holding the containers list (pod-level securityContext, volumes). */
    record Container(Doc doc, JsonNode pod, JsonNode node) {
        String where() {
            return doc.file() + " container " + node.path("name").asText(node.path("image").asText("?"));
        }

        JsonNode env(String name) {
            for (JsonNode e : node.path("env")) {
                if (name.equals(e.path("name").asText())) {
                    return e;
                }
            }
            return null;
        }

        boolean isJvm() {
            return !node.path("image").asText().contains("native");
        }
    }

    /** {@code value} is the whole env entry for containers, the variable's value for Lambda. */
    record EnvVar(String where, String name, JsonNode value, boolean lambda) {
    }

    @BeforeAll
    static void load() throws IOException {
        docs = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(DEPLOY)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        for (Path file : files) {
            try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
                while (it.hasNext()) {
                    JsonNode node = it.next();
                    if (node != null && node.isObject()) {
                        docs.add(new Doc(file, node));
                    }
                }
            }
        }
        containers = new ArrayList<>();
        for (Doc doc : docs) {
            collectContainers(doc, doc.node(), containers);
        }
        envVars = new ArrayList<>();
        for (Container c : containers) {
            for (JsonNode e : c.node().path("env")) {
                envVars.add(new EnvVar(c.where(), e.path("name").asText(), e, false));
            }
        }
        for (Doc doc : docs) {
            collectLambdaEnv(doc, envVars);
        }
    }

    @Test
    void everyPlatformHasItsManifestsAndTheyParse() {
        for (String f : List.of("jvm-options", "Dockerfile.jvm", "Dockerfile.native", "README.md",
                "kubernetes/deployment.yaml", "kubernetes/service.yaml", "kubernetes/secret-example.yaml",
                "knative/service.yaml", "cloudrun/service.yaml", "lambda/README.md", "lambda/template.yaml")) {
            assertTrue(Files.isRegularFile(DEPLOY.resolve(f)), "missing deploy/" + f);
        }
        // guards the other tests against passing because nothing was found
        Set<Path> withContainers = containers.stream().map(c -> c.doc().file()).collect(Collectors.toSet());
        assertTrue(withContainers.containsAll(List.of(DEPLOY.resolve("kubernetes/deployment.yaml"),
                DEPLOY.resolve("knative/service.yaml"), DEPLOY.resolve("cloudrun/service.yaml"))),
                "containers found only in " + withContainers);
        assertTrue(envVars.stream().anyMatch(EnvVar::lambda), "no Lambda function environment found");
    }

    @Test
    void containersListenOnTheAppPortThatTheDockerfilesExpose() throws IOException {
        for (Container c : containers) {
            JsonNode ports = c.node().path("ports");
            assertFalse(ports.isEmpty(), c.where() + " declares no port");
            assertEquals(HTTP_PORT, ports.get(0).path("containerPort").asInt(), c.where() + " first containerPort");
            for (JsonNode p : ports) {
                int port = p.path("containerPort").asInt();
                assertTrue(port == HTTP_PORT || port == MANAGEMENT_PORT, c.where() + " containerPort " + port);
            }
            if (c.doc().apiVersion().startsWith("serving.knative.dev/")) {
                // Knative and Cloud Run route the one declared port and refuse a second
                assertEquals(1, ports.size(), c.where() + " must declare only the public port");
            }
        }
        List<Path> dockerfiles = serverDockerfiles();
        assertTrue(dockerfiles.size() >= 2, "expected Dockerfile.jvm and Dockerfile.native, got " + dockerfiles);
        for (Path f : dockerfiles) {
            List<String> exposed = finalStage(f).stream()
                    .filter(l -> l.startsWith("EXPOSE ")).map(l -> l.substring(7).trim()).toList();
            assertEquals(List.of(String.valueOf(HTTP_PORT)), exposed, f + " EXPOSE");
        }
    }

    @Test
    void kubernetesServiceTargetsTheDeploymentsHttpPort() {
        List<Container> deployed = containers.stream().filter(c -> c.doc().kind().equals("Deployment")).toList();
        List<Doc> services = docs.stream()
                .filter(d -> d.kind().equals("Service") && d.apiVersion().equals("v1")).toList();
        assertFalse(services.isEmpty(), "no Kubernetes Service");
        for (Doc svc : services) {
            for (JsonNode p : svc.node().path("spec").path("ports")) {
                JsonNode target = p.path("targetPort");
                boolean ok = deployed.stream().anyMatch(c -> resolvePort(c, target) == HTTP_PORT);
                assertTrue(ok, svc.file() + " targetPort " + target + " is not the container's port " + HTTP_PORT);
            }
            JsonNode selector = svc.node().path("spec").path("selector");
            assertFalse(selector.isEmpty(), svc.file() + " has no selector");
            boolean selects = deployed.stream().anyMatch(c -> {
                JsonNode labels = c.doc().node().path("spec").path("template").path("metadata").path("labels");
                Iterator<Map.Entry<String, JsonNode>> it = selector.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                        return false;
                    }
                }
                return true;
            });
            assertTrue(selects, svc.file() + " selector " + selector + " matches no Deployment's pods");
        }
    }

    @Test
    void probesUseTheSmallRyeHealthPaths() {
        for (Container c : containers) {
            for (Map.Entry<String, String> kind : PROBE_PATHS.entrySet()) {
                JsonNode probe = c.node().get(kind.getKey());
                if (probe == null) {
                    continue;
                }
                String where = c.where() + " " + kind.getKey();
                JsonNode httpGet = probe.get("httpGet");
                if (isPlainKnative(c)) {
                    // Knative sends every probe of the serving container to its one port, where /q/... answers 404
                    assertNull(httpGet, where + " must not be an httpGet probe on Knative");
                    assertEquals(HTTP_PORT, resolvePort(c, probe.path("tcpSocket").path("port")), where + " tcpSocket port");
                    continue;
                }
                assertNotNull(httpGet, where + " must be an httpGet probe");
                assertEquals(kind.getValue(), httpGet.path("path").asText(), where + " path");
                // without a port the probe would go to the public port, where /q/... answers 404
                assertEquals(MANAGEMENT_PORT, resolvePort(c, httpGet.path("port")), where + " port");
            }
            assertTrue(c.node().has("livenessProbe"), c.where() + " has no livenessProbe");
            assertTrue(c.node().has("readinessProbe") || c.node().has("startupProbe"),
                    c.where() + " needs a readiness or startup probe so traffic waits for the app");
        }
    }

    @Test
    void kubernetesDeploymentHasLivenessReadinessAndStartupProbes() {
        List<Container> deployed = containers.stream().filter(c -> c.doc().kind().equals("Deployment")).toList();
        assertFalse(deployed.isEmpty(), "no Deployment");
        for (Container c : deployed) {
            for (String kind : PROBE_PATHS.keySet()) {
                assertTrue(c.node().has(kind), c.where() + " has no " + kind);
            }
        }
    }

    @Test
    void prometheusScrapesTheManagementPort() {
        int annotated = 0;
        for (Doc doc : docs) {
            JsonNode annotations = doc.node().path("spec").path("template").path("metadata").path("annotations");
            if (annotations.has("prometheus.io/scrape")) {
                annotated++;
                assertEquals(String.valueOf(MANAGEMENT_PORT), annotations.path("prometheus.io/port").asText(), doc.file() + " prometheus.io/port");
                assertEquals("/q/metrics", annotations.path("prometheus.io/path").asText(), doc.file() + " prometheus.io/path");
            }
        }
        assertTrue(annotated > 0, "no manifest tells Prometheus where the metrics are");
    }

    @Test
    void noManifestNamesFrontPaymentsDemoHost() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(DEPLOY)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            // a deployment must say which Front Payment it talks to, not fall back to the demo
            assertFalse(Files.readString(f).contains("demo-api.frontpayment.no"), f + " names Front Payment's demo host");
        }
    }

    @Test
    void everyEnvironmentVariableMapsToARealConfigKey() {
        List<Pattern> allowed = new ArrayList<>(CONFIG_KEYS.stream().map(DeployManifestsTest::envPattern).toList());
        allowed.add(Pattern.compile(Pattern.quote(JAVA_OPTS_APPEND)));
        assertFalse(envVars.isEmpty(), "no environment variables found");
        for (EnvVar v : envVars) {
            assertTrue(allowed.stream().anyMatch(p -> p.matcher(v.name()).matches()),
                    v.where() + ": " + v.name() + " is not the env form of any config key");
        }
    }

    @Test
    void javaOptsAppendEverywhereEqualsJvmOptions() throws IOException {
        List<String> lines = Files.readAllLines(DEPLOY.resolve("jvm-options")).stream()
                .filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "deploy/jvm-options must be exactly one line of flags");
        String flags = lines.get(0).trim();

        boolean dockerfileSetsIt = false;
        for (Path f : serverDockerfiles()) {
            String value = dockerEnv(f).get(JAVA_OPTS_APPEND);
            if (value != null) {
                dockerfileSetsIt = true;
                assertEquals(flags, value, f + " " + JAVA_OPTS_APPEND);
            } else {
                assertFalse(f.getFileName().toString().contains("jvm"), f + " must set " + JAVA_OPTS_APPEND);
            }
        }
        assertTrue(dockerfileSetsIt, "no Dockerfile sets " + JAVA_OPTS_APPEND);

        for (Container c : containers) {
            JsonNode e = c.env(JAVA_OPTS_APPEND);
            if (c.isJvm()) {
                assertNotNull(e, c.where() + " runs the JVM image but does not set " + JAVA_OPTS_APPEND);
            }
            if (e != null) {
                assertEquals(flags, e.path("value").asText(null), c.where() + " " + JAVA_OPTS_APPEND);
            }
        }
    }

    /** The platform manifests; each runs the native image by default, the JVM image is the documented alternative. */
    private static final List<Path> PLATFORM_MANIFESTS = List.of(
            DEPLOY.resolve("kubernetes").resolve("deployment.yaml"),
            DEPLOY.resolve("knative").resolve("service.yaml"),
            DEPLOY.resolve("cloudrun").resolve("service.yaml"));

    /** Read by the JVM (run-java.sh, the java launcher) only: meaningless to the native executable. */
    private static final List<String> JVM_ONLY_ENV = List.of(JAVA_OPTS_APPEND, "JDK_JAVA_OPTIONS", "JAVA_OPTS", "JAVA_TOOL_OPTIONS");

    /**
     * RSS of the native test executable after c=32 for 20 s with the memory of a 192Mi limit
     * (bench/results/native.md; indicative: a dynamically linked test build, not the Mandrel-built
     * release image). Memory requests must not be below it.
     */
    private static final long NATIVE_RSS_AFTER_LOAD = 125L * 1000 * 1000;

    @Test
    void platformManifestsRunTheNativeImageByDefault() {
        for (Path manifest : PLATFORM_MANIFESTS) {
            List<Container> inFile = containers.stream().filter(c -> c.doc().file().equals(manifest)).toList();
            assertFalse(inFile.isEmpty(), manifest + " holds no container");
            for (Container c : inFile) {
                String image = c.node().path("image").asText();
                assertTrue(image.matches(".+:[^:/]+-native"), c.where() + " image " + image + " must be the native image (tag ...-native)");
                assertFalse(image.contains("-jvm"), c.where() + " image " + image + " is the JVM image");
                for (String name : JVM_ONLY_ENV) {
                    assertNull(c.env(name), c.where() + " runs the native image but sets the JVM-only " + name);
                }
            }
        }
    }

    @Test
    void nativeContainersMemoryIsSizedAboveTheMeasuredRss() {
        int checked = 0;
        for (Container c : containers) {
            if (c.isJvm()) {
                continue;
            }
            checked++;
            JsonNode resources = c.node().path("resources");
            String limit = resources.path("limits").path("memory").asText(null);
            assertNotNull(limit, c.where() + " has no memory limit");
            assertTrue(bytes(limit) > NATIVE_RSS_AFTER_LOAD, c.where() + " memory limit " + limit + " is below the measured RSS");
            String request = resources.path("requests").path("memory").asText(null);
            if (request != null) {
                assertTrue(bytes(request) >= NATIVE_RSS_AFTER_LOAD && bytes(request) <= bytes(limit),
                        c.where() + " memory request " + request + " must cover the measured RSS and be within the limit");
            }
        }
        assertTrue(checked > 0, "no container runs the native image");
    }

    @Test
    void lambdaTemplateDefaultsToTheNativeCustomRuntime() {
        Path template = DEPLOY.resolve("lambda").resolve("template.yaml");
        Doc doc = docs.stream().filter(d -> d.file().equals(template)).findFirst()
                .orElseThrow(() -> new AssertionError(template + " not found"));
        JsonNode globals = doc.node().path("Globals").path("Function");
        int functions = 0;
        for (JsonNode r : doc.node().path("Resources")) {
            if (!r.path("Type").asText().equals("AWS::Serverless::Function")) {
                continue;
            }
            functions++;
            JsonNode props = r.path("Properties");
            String runtime = props.path("Runtime").asText(globals.path("Runtime").asText(null));
            assertEquals("provided.al2023", runtime, template + " Runtime: the native executable as `bootstrap`");
            assertEquals("Zip", props.path("PackageType").asText("Zip"), template + " PackageType");
            assertTrue(props.path("CodeUri").asText().endsWith("function.zip"), template + " CodeUri must be -Plambda's function.zip");
            long memory = props.path("MemorySize").asLong(globals.path("MemorySize").asLong(128)) * 1024 * 1024;
            assertTrue(memory > NATIVE_RSS_AFTER_LOAD, template + " MemorySize is below the measured RSS");
        }
        assertEquals(1, functions, template + " must define one serverless function");
    }

    @Test
    void jvmContainersMemoryLimitLeavesRoomAboveTheHeap() throws IOException {
        Matcher xmx = Pattern.compile("-Xmx(\\d+[kKmMgG])").matcher(Files.readString(DEPLOY.resolve("jvm-options")));
        assertTrue(xmx.find(), "deploy/jvm-options sets no -Xmx");
        long heap = bytes(xmx.group(1));
        for (Container c : containers) {
            if (!c.isJvm()) {
                continue;
            }
            JsonNode resources = c.node().path("resources");
            String limit = resources.path("limits").path("memory").asText(null);
            assertNotNull(limit, c.where() + " has no memory limit");
            // metaspace, code cache, thread stacks and direct buffers roughly match the heap again
            assertTrue(bytes(limit) >= 2 * heap, c.where() + " memory limit " + limit + " is too small for " + xmx.group());
            String request = resources.path("requests").path("memory").asText(null);
            if (request != null) {
                assertTrue(bytes(request) > heap && bytes(request) <= bytes(limit),
                        c.where() + " memory request " + request + " must be above the heap and within the limit");
            }
        }
    }

    @Test
    void tenantCredentialsComeFromSecretsNeverFromLiterals() {
        List<Pattern> secret = SECRET_KEYS.stream().map(DeployManifestsTest::envPattern).toList();
        int checked = 0;
        for (EnvVar v : envVars) {
            if (secret.stream().noneMatch(p -> p.matcher(v.name()).matches())) {
                continue;
            }
            checked++;
            if (v.lambda()) {
                assertTrue(v.value().toString().contains("{{resolve:secretsmanager:"),
                        v.where() + ": " + v.name() + " must be a Secrets Manager dynamic reference");
            } else {
                assertFalse(v.value().has("value"), v.where() + ": " + v.name() + " must not be a literal value");
                JsonNode ref = v.value().path("valueFrom").path("secretKeyRef");
                assertFalse(ref.path("name").asText().isBlank() || ref.path("key").asText().isBlank(),
                        v.where() + ": " + v.name() + " must come from valueFrom.secretKeyRef with name and key");
            }
        }
        assertTrue(checked > 0, "no tenant credentials found in any manifest");
    }

    @Test
    void everyContainerAndFunctionSetsTheHashSecret() {
        for (Container c : containers) {
            assertNotNull(c.env(HASH_SECRET), c.where() + " does not set " + HASH_SECRET + ": the gateway would not start");
        }
        List<String> functions = envVars.stream().filter(EnvVar::lambda).map(EnvVar::where).distinct().toList();
        assertFalse(functions.isEmpty(), "no Lambda function environment found");
        for (String where : functions) {
            assertTrue(envVars.stream().anyMatch(v -> v.where().equals(where) && v.name().equals(HASH_SECRET)),
                    where + " does not set " + HASH_SECRET + ": the gateway would not start");
        }
    }

    @Test
    void secretReferencesNameKeysThatTheExampleSecretDefines() {
        Doc example = docs.stream()
                .filter(d -> d.file().endsWith(Path.of("kubernetes", "secret-example.yaml")) && d.kind().equals("Secret"))
                .findFirst().orElseThrow(() -> new AssertionError("secret-example.yaml holds no Secret"));
        String secretName = example.node().path("metadata").path("name").asText();
        Set<String> keys = new HashSet<>();
        example.node().path("stringData").fieldNames().forEachRemaining(keys::add);
        example.node().path("data").fieldNames().forEachRemaining(keys::add);
        assertFalse(keys.isEmpty(), "secret-example.yaml defines no keys");

        int refs = 0;
        for (Container c : containers) {
            for (JsonNode e : c.node().path("env")) {
                JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                if (ref.isMissingNode()) {
                    continue;
                }
                refs++;
                String where = c.where() + " env " + e.path("name").asText();
                if (c.doc().isCloudRun()) {
                    // Cloud Run: name is a Secret Manager secret, key is its version
                    assertTrue(ref.path("key").asText().matches("latest|\\d+"), where + " key must be a secret version");
                } else {
                    assertEquals(secretName, ref.path("name").asText(), where + " secret name");
                    assertTrue(keys.contains(ref.path("key").asText()), where + " key " + ref.path("key") + " not in " + keys);
                }
            }
        }
        assertTrue(refs > 0, "no secretKeyRef in any manifest");

        // the secret id may be ${SecretName} or an ARN, so match lazily up to the JSON key
        Pattern secretsManagerKey = Pattern.compile("\\{\\{resolve:secretsmanager:.*?:SecretString:([^:}]+)");
        int lambdaRefs = 0;
        for (EnvVar v : envVars) {
            if (v.lambda()) {
                Matcher m = secretsManagerKey.matcher(v.value().toString());
                while (m.find()) {
                    lambdaRefs++;
                    assertTrue(keys.contains(m.group(1)), v.where() + ": " + v.name() + " key " + m.group(1) + " not in " + keys);
                }
            }
        }
        assertTrue(lambdaRefs > 0, "no Secrets Manager reference in the Lambda template");

        example.node().path("stringData").fields().forEachRemaining(e -> {
            if (e.getKey().endsWith("api-key-sha256")) {
                assertTrue(e.getValue().asText().matches("[0-9a-f]{64}"),
                        e.getKey() + " must look like `printf %s \"$KEY\" | sha256sum` output");
            }
        });
    }

    @Test
    void containersRunAsNonRootWithAReadOnlyRootFilesystem() {
        for (Container c : containers) {
            if (c.doc().isCloudRun()) {
                continue; // no securityContext on Cloud Run: the image's USER covers it (next test)
            }
            JsonNode own = c.node().path("securityContext");
            JsonNode pod = c.pod().path("securityContext");
            // a container's own setting overrides the pod's
            JsonNode nonRoot = own.has("runAsNonRoot") ? own.get("runAsNonRoot") : pod.path("runAsNonRoot");
            assertTrue(nonRoot.asBoolean(false), c.where() + " must run with runAsNonRoot: true");
            JsonNode uid = own.has("runAsUser") ? own.get("runAsUser") : pod.get("runAsUser");
            if (uid != null) {
                assertTrue(uid.asInt() > 0, c.where() + " runAsUser must not be 0");
            }
            assertTrue(own.path("readOnlyRootFilesystem").asBoolean(false), c.where() + " readOnlyRootFilesystem");
            assertFalse(own.path("allowPrivilegeEscalation").asBoolean(true), c.where() + " allowPrivilegeEscalation");
            boolean tmp = false;
            for (JsonNode m : c.node().path("volumeMounts")) {
                tmp |= m.path("mountPath").asText().equals("/tmp");
            }
            // Vert.x creates its file cache under java.io.tmpdir at start-up
            assertTrue(tmp, c.where() + " has a read-only root filesystem but no writable /tmp");
        }
    }

    @Test
    void imagesRunAsANumericNonRootUser() throws IOException {
        for (Path f : serverDockerfiles()) {
            List<String> users = finalStage(f).stream().filter(l -> l.startsWith("USER ")).toList();
            assertFalse(users.isEmpty(), f + " final stage has no USER");
            String user = users.get(users.size() - 1).substring(5).trim().split(":")[0];
            // runAsNonRoot can only verify a numeric uid
            assertTrue(user.matches("\\d+") && !user.equals("0"), f + " USER " + user + " must be a numeric non-root uid");
        }
    }

    // ---- helpers ----

    private static void collectContainers(Doc doc, JsonNode node, List<Container> out) {
        if (node.isObject()) {
            JsonNode list = node.get("containers");
            if (list != null && list.isArray()) {
                list.forEach(c -> out.add(new Container(doc, node, c)));
            }
            node.elements().forEachRemaining(child -> collectContainers(doc, child, out));
        } else if (node.isArray()) {
            node.forEach(child -> collectContainers(doc, child, out));
        }
    }

    private static void collectLambdaEnv(Doc doc, List<EnvVar> out) {
        List<JsonNode> holders = new ArrayList<>();
        holders.add(doc.node().path("Globals").path("Function"));
        doc.node().path("Resources").elements().forEachRemaining(r -> {
            String type = r.path("Type").asText();
            if (type.equals("AWS::Serverless::Function") || type.equals("AWS::Lambda::Function")) {
                holders.add(r.path("Properties"));
            }
        });
        for (JsonNode h : holders) {
            h.path("Environment").path("Variables").fields().forEachRemaining(
                    e -> out.add(new EnvVar(doc.file().toString(), e.getKey(), e.getValue(), true)));
        }
    }

    /** SmallRye's env mapping: every non-alphanumeric character becomes {@code _}, then upper case. */
    static Pattern envPattern(String key) {
        String[] parts = key.split("\\*", -1);
        String tenantId = "[A-Z0-9]+(?:_[A-Z0-9]+)*";
        return Pattern.compile(Stream.of(parts)
                .map(p -> Pattern.quote(p.replaceAll("[^A-Za-z0-9]", "_").toUpperCase()))
                .collect(Collectors.joining(tenantId)));
    }

    /** Knative Serving itself; Cloud Run speaks its dialect but probes where it is told. */
    private static boolean isPlainKnative(Container c) {
        return c.doc().apiVersion().startsWith("serving.knative.dev/") && !c.doc().isCloudRun();
    }

    private static int resolvePort(Container c, JsonNode port) {
        if (port.isInt()) {
            return port.asInt();
        }
        if (port.isTextual() && port.asText().matches("\\d+")) {
            return Integer.parseInt(port.asText());
        }
        for (JsonNode p : c.node().path("ports")) {
            if (port.asText().equals(p.path("name").asText())) {
                return p.path("containerPort").asInt();
            }
        }
        return -1;
    }

    private static long bytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|k|K|M|m|G|g)?").matcher(quantity.trim());
        if (!m.matches()) {
            fail("not a memory quantity: " + quantity);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        return switch (unit) {
            case "Ki", "k", "K" -> n * 1024;
            case "Mi", "M", "m" -> n * 1024 * 1024;
            case "Gi", "G", "g" -> n * 1024 * 1024 * 1024;
            default -> n;
        };
    }

    /** Dockerfiles of the HTTP server images; Lambda's image opens no port and runs as Lambda's own user. */
    private static List<Path> serverDockerfiles() throws IOException {
        try (Stream<Path> list = Files.list(DEPLOY)) {
            return list.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("Dockerfile") && !n.endsWith(".dockerignore");
            }).sorted().toList();
        }
    }

    /** Instructions after the last FROM, continuation lines joined, comments dropped. */
    private static List<String> finalStage(Path dockerfile) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        try {
            for (String raw : Files.readAllLines(dockerfile)) {
                String line = raw.trim();
                if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) {
                    continue;
                }
                if (line.endsWith("\\")) {
                    current.append(line, 0, line.length() - 1).append(' ');
                    continue;
                }
                current.append(line);
                instructions.add(current.toString().trim());
                current.setLength(0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int from = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).toUpperCase().startsWith("FROM ")) {
                from = i;
            }
        }
        return instructions.subList(from, instructions.size());
    }

    private static Map<String, String> dockerEnv(Path dockerfile) {
        Map<String, String> env = new LinkedHashMap<>();
        Pattern pair = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|(\\S+))");
        for (String line : finalStage(dockerfile)) {
            if (line.startsWith("ENV ")) {
                Matcher m = pair.matcher(line.substring(4));
                while (m.find()) {
                    env.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
                }
            }
        }
        return env;
    }
}
