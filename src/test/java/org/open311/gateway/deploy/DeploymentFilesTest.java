package org.open311.gateway.deploy;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.open311.gateway.SettingsReader;
import org.open311.gateway.observe.SecretSettings;
import org.open311.gateway.observe.ShutdownPlan;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes manifests, the kustomization and the systemd unit in deploy/ parsed and checked against
 * the gateway's own settings (its shipped defaults, the prod profile, the manifests' overrides): ports,
 * probes, the stop's timing, where mappings, routes, photos and secrets are read from.
 */
class DeploymentFilesTest {

    private static final Path KUBERNETES = Path.of("deploy/kubernetes");
    /** The secret settings production needs, each given as a file (SecretFiles: {@code <VARIABLE>_FILE}). */
    private static final List<String> SECRETS = List.of("gateway.db.password", "gateway.backend.crm.token", "gateway.backend.aspa.api-key",
            "gateway.backend.crm.notification-secret", "gateway.backend.aspa.notification-secret", "gateway.admin.token");

    private final List<Map<String, Object>> manifests = manifests();
    private final Map<String, Object> deployment = kind("Deployment");
    private final Map<String, Object> container = first(list(map(map(map(deployment, "spec"), "template"), "spec"), "containers"));
    private final Map<String, String> settingsMap = strings(map(kind("ConfigMap"), "data"));

    DeploymentFilesTest() throws Exception {
    }

    @Test
    void containerPortsAreTheGatewaysPortsAndTheServiceSendsToTheApiPort() throws Exception {
        Properties settings = effectiveSettings();
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Object port : list(container, "ports")) {
            ports.put((String) ((Map<?, ?>) port).get("name"), (Integer) ((Map<?, ?>) port).get("containerPort"));
        }
        assertThat(ports).containsExactly(Map.entry("http", Integer.valueOf(settings.getProperty("gateway.port"))),
                Map.entry("management", Integer.valueOf(settings.getProperty("gateway.management-port"))));
        Map<String, Object> servicePort = first(list(map(kind("Service"), "spec"), "ports"));
        assertThat(servicePort.get("targetPort")).as("the public API, never the management port").isEqualTo("http");
        assertThat(map(map(map(deployment, "spec"), "template"), "metadata").toString()).contains("prometheus.io/port=" + ports.get("management"));
    }

    @Test
    void probesAskTheManagementServersLivenessAndReadinessAsHaproxyDoes() throws Exception {
        assertThat(probe("readinessProbe")).containsExactly(Map.entry("path", "/observe/health/ready"), Map.entry("port", "management"));
        assertThat(probe("livenessProbe")).containsExactly(Map.entry("path", "/observe/health/live"), Map.entry("port", "management"));
        assertThat(probe("startupProbe")).containsExactly(Map.entry("path", "/observe/health/live"), Map.entry("port", "management"));
        assertThat(Files.readString(Path.of("deploy/haproxy/haproxy.cfg"))).contains("option httpchk GET /observe/health/ready");
        assertThat(Files.readString(Path.of("src/main/resources/application.properties")))
                .as("the management server's health paths").contains("/observe/health/live, /observe/health/ready");
    }

    @Test
    void preStopAndTheGatewaysWholeStopFitThePodsGracePeriod() throws Exception {
        List<Object> sleep = list(map(map(map(container, "lifecycle"), "preStop"), "exec"), "command");
        assertThat(sleep.get(0)).isEqualTo("sleep");
        int preStop = Integer.parseInt((String) sleep.get(1));
        int podGrace = (Integer) map(map(map(deployment, "spec"), "template"), "spec").get("terminationGracePeriodSeconds");

        Properties settings = effectiveSettings();
        SettingsReader reader = reader(settings);
        ShutdownPlan plan = ShutdownPlan.read(reader);
        assertThat(reader.problems()).as("the gateway accepts the manifests' stop settings").isEmpty();
        assertThat(preStop + plan.gracePeriod().toSeconds()).as("preStop + the gateway's grace period").isLessThanOrEqualTo(podGrace);
        assertThat(podGrace).as("Kubernetes' default").isEqualTo(30);
    }

    @Test
    void mappingsRoutesPhotosAndSecretsAreReadWhereTheVolumesAreMounted() throws Exception {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (Object mount : list(container, "volumeMounts")) {
            mounts.put((String) ((Map<?, ?>) mount).get("name"), (String) ((Map<?, ?>) mount).get("mountPath"));
        }
        Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
        for (Object volume : list(map(map(map(deployment, "spec"), "template"), "spec"), "volumes")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> each = (Map<String, Object>) volume;
            volumes.put((String) each.get("name"), each);
        }
        assertThat(mounts.get("mappings")).isEqualTo(settingsMap.get("GATEWAY_MAPPINGS_DIR"));
        assertThat(map(volumes.get("mappings"), "configMap").get("name")).isEqualTo("open311-gateway-mappings");
        assertThat(settingsMap.get("CAMEL_MAIN_ROUTES_INCLUDE_PATTERN")).isEqualTo("file:" + mounts.get("routes") + "/*.camel.yaml");
        assertThat(map(volumes.get("routes"), "configMap").get("name")).isEqualTo("open311-gateway-routes");
        assertThat(mounts.get("media")).isEqualTo(settingsMap.get("GATEWAY_MEDIA_DIR"));
        String claim = (String) map(volumes.get("media"), "persistentVolumeClaim").get("claimName");
        Map<String, Object> pvc = kind("PersistentVolumeClaim");
        assertThat(map(pvc, "metadata").get("name")).isEqualTo(claim);
        assertThat(list(map(pvc, "spec"), "accessModes")).as("photos shared by every pod").containsExactly("ReadWriteMany");
        assertThat(volumes.get("data")).as("each pod its own data/ (its last good mappings)").containsKey("emptyDir");

        Map<String, String> env = new LinkedHashMap<>();
        for (Object variable : list(container, "env")) {
            env.put((String) ((Map<?, ?>) variable).get("name"), String.valueOf(((Map<?, ?>) variable).get("value")));
        }
        DefaultCamelContext context = new DefaultCamelContext();
        // what Camel Main does with the shipped camel.main.additional-sensitive-keywords
        context.getCamelContextExtension().setAdditionalSensitiveKeywords(
                effectiveSettings().getProperty("camel.main.additional-sensitive-keywords"));
        for (String secret : SECRETS) {
            assertThat(SecretSettings.isSecret(context, secret)).as(secret).isTrue();
            String variable = org.open311.gateway.SettingException.environmentVariable(secret);
            assertThat(env.get(variable + "_FILE")).as(variable + "_FILE").startsWith(mounts.get("secrets") + "/");
            assertThat(settingsMap).as("no secret in the ConfigMap").doesNotContainKey(variable);
            assertThat(env).as("no secret as a plain variable").doesNotContainKey(variable);
        }
        assertThat(map(volumes.get("secrets"), "secret").get("secretName")).isEqualTo("open311-gateway-secrets");
        assertThat(kinds()).as("the Secret is the operators' own, never in these files").doesNotContain("Secret");
    }

    @Test
    void theMigrationJobRunsDbMigrateOfTheSameImageWithTheSameSettingsAndTheDatabasePassword() throws Exception {
        Map<String, Object> job = load(KUBERNETES.resolve("migrate-job.yaml")).get(0);
        assertThat(job.get("kind")).isEqualTo("Job");
        Map<String, Object> pod = map(map(map(job, "spec"), "template"), "spec");
        Map<String, Object> migrate = first(list(pod, "containers"));
        assertThat(migrate.get("image")).isEqualTo(container.get("image"));
        assertThat(list(migrate, "args")).containsExactly("db", "migrate");
        assertThat(list(migrate, "envFrom")).isEqualTo(list(container, "envFrom"));
        assertThat(settingsMap.get("GATEWAY_DB_MIGRATE_ON_START")).as("the pods never migrate").isEqualTo("false");
        Map<?, ?> password = (Map<?, ?>) first(list(migrate, "env"));
        assertThat(password.get("name")).isEqualTo("GATEWAY_DB_PASSWORD_FILE");
        Map<?, ?> mount = (Map<?, ?>) list(migrate, "volumeMounts").get(0);
        assertThat((String) password.get("value")).startsWith(mount.get("mountPath") + "/");
        assertThat(map(first(list(pod, "volumes")), "secret").get("secretName")).isEqualTo("open311-gateway-secrets");
        assertThat(map(pod, "securityContext").get("runAsNonRoot")).isEqualTo(true);
    }

    @Test
    void theKustomizationMakesTheConfigMapsFromEveryMappingAndRouteFile() throws Exception {
        Map<String, Object> kustomization = load(KUBERNETES.resolve("kustomization.yaml")).get(0);
        Map<String, List<Object>> generated = new LinkedHashMap<>();
        for (Object generator : list(kustomization, "configMapGenerator")) {
            @SuppressWarnings("unchecked")
            List<Object> files = (List<Object>) ((Map<?, ?>) generator).get("files");
            generated.put((String) ((Map<?, ?>) generator).get("name"), files);
        }
        assertThat(generated.get("open311-gateway-mappings")).containsExactlyInAnyOrderElementsOf(files("mappings", ".yaml"));
        assertThat(generated.get("open311-gateway-routes")).containsExactlyInAnyOrderElementsOf(files("routes", ".camel.yaml"));
        assertThat(list(kustomization, "resources")).containsExactly("gateway.yaml");
    }

    @Test
    void theSystemdUnitStartsTheLauncherAsItsOwnUserAndWaitsTheGracePeriod() throws Exception {
        Map<String, List<String>> unit = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("deploy/systemd/open311-gateway.service"))) {
            if (line.contains("=") && !line.startsWith("#")) {
                unit.computeIfAbsent(line.substring(0, line.indexOf('=')), key -> new ArrayList<>()).add(line.substring(line.indexOf('=') + 1));
            }
        }
        assertThat(unit.get("ExecStart")).containsExactly("/opt/open311-gateway/bin/open311-gateway");
        assertThat(Path.of("src/dist/bin/open311-gateway")).as("the launcher the distribution ships").isExecutable();
        assertThat(unit.get("User")).doesNotContain("root").hasSize(1);
        assertThat(unit.get("Environment")).contains("CAMEL_MAIN_PROFILE=prod", "GATEWAY_CONFIG=/opt/open311-gateway/conf/application.properties",
                "GATEWAY_LOGGING_CONFIG=/opt/open311-gateway/conf/logback.xml", "GATEWAY_DB_PASSWORD_FILE=%d/db-password");
        assertThat(Path.of("src/dist/conf/application.properties")).exists();
        assertThat(Path.of("src/main/resources/logback.xml")).as("conf/logback.xml of the distribution").exists();
        int timeoutStop = Integer.parseInt(unit.get("TimeoutStopSec").get(0));
        Properties settings = shipped("application.properties");
        settings.putAll(shipped("application-prod.properties"));
        SettingsReader reader = reader(settings);
        assertThat(timeoutStop).isGreaterThanOrEqualTo((int) ShutdownPlan.read(reader).gracePeriod().toSeconds());
        assertThat(unit.get("SuccessExitStatus")).as("the JVM's exit code after SIGTERM").containsExactly("143");
        assertThat(unit.get("KillSignal")).containsExactly("SIGTERM");
    }

    // ---- the gateway's settings as a pod sees them: defaults, the prod profile, then the ConfigMap's variables

    private Properties effectiveSettings() throws Exception {
        Properties settings = shipped("application.properties");
        settings.putAll(shipped("application-prod.properties"));
        for (String key : new ArrayList<>(settings.stringPropertyNames())) {
            String variable = org.open311.gateway.SettingException.environmentVariable(key);
            if (settingsMap.containsKey(variable)) {
                settings.setProperty(key, settingsMap.get(variable));
            }
        }
        return settings;
    }

    private static Properties shipped(String file) throws Exception {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources", file))) {
            properties.load(in);
        }
        return properties;
    }

    private static SettingsReader reader(Properties settings) {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setInitialProperties(settings);
        return new SettingsReader(context.getPropertiesComponent(), key -> false, "prod");
    }

    private Map<String, Object> probe(String name) {
        Map<String, Object> get = map(map(container, name), "httpGet");
        return new LinkedHashMap<>(Map.of("path", get.get("path"), "port", get.get("port"))).entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue()), Map::putAll);
    }

    private static List<Object> files(String folder, String suffix) throws Exception {
        try (Stream<Path> files = Files.list(Path.of(folder))) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(suffix))
                    .<Object>map(name -> folder + "/" + name).toList();
        }
    }

    private List<String> kinds() {
        return manifests.stream().map(manifest -> (String) manifest.get("kind")).toList();
    }

    private Map<String, Object> kind(String kind) {
        List<Map<String, Object>> found = manifests.stream().filter(manifest -> kind.equals(manifest.get("kind"))).toList();
        assertThat(found).as("one " + kind).hasSize(1);
        return found.get(0);
    }

    private static List<Map<String, Object>> manifests() throws Exception {
        return load(KUBERNETES.resolve("gateway.yaml"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> load(Path file) throws Exception {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(file))) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object child = parent.get(key);
        assertThat(child).as(key).isInstanceOf(Map.class);
        return (Map<String, Object>) child;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> parent, String key) {
        Object child = parent.get(key);
        assertThat(child).as(key).isInstanceOf(List.class);
        return (List<Object>) child;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> first(List<?> items) {
        assertThat(items).isNotEmpty();
        return (Map<String, Object>) items.get(0);
    }

    private static Map<String, String> strings(Map<String, Object> data) {
        Map<String, String> strings = new LinkedHashMap<>();
        data.forEach((key, value) -> {
            assertThat(value).as("ConfigMap values are strings: " + key).isInstanceOf(String.class);
            strings.put(key, (String) value);
        });
        return strings;
    }
}
