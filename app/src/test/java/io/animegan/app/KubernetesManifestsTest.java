package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.animegan.blend.BlendStageApp;
import io.animegan.common.config.Topic;
import io.animegan.common.config.Topics;
import io.animegan.face.FaceStageApp;
import io.animegan.stylize.StylizeStageApp;
import io.animegan.video.stage.VideoStageApp;
import io.animegan.webhook.WebhookStageApp;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * Issue 10, acceptance 4: deploy/k8s and the Grafana dashboard can't be applied here, so this
 * checks them against what the code really does: container arguments parse with the real command
 * line, every ANIMEGAN_* variable is one an option reads, KEDA watches each stage's own consumer
 * group and input topic and never wants more replicas than partitions (KubernetesProbesIT checks
 * the probes, scrape annotations and dashboard against running processes). Issue 13: the Secret
 * is not applied (only an example without values), every container runs as a non-root user on
 * a read-only root filesystem with writable emptyDirs, and the image itself runs as a non-root
 * user.
 */
class KubernetesManifestsTest {

    private static final Path K8S = Path.of("..", "deploy", "k8s");
    private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "animegan.json");
    private static final Path DOCKERFILE = Path.of("..", "Dockerfile");
    private static final Path KUSTOMIZATION = K8S.resolve("kustomization.yaml");
    private static final Path SECRET_EXAMPLE = K8S.resolve("secret.example.yaml");

    /** Each stage's Kafka Streams application id (its consumer group) and input topic, as its *StageApp wires them. */
    private static Map<StageName, Stage> stagesAsWired(Topics topics) {
        return Map.of(
                StageName.face, new Stage(FaceStageApp.APPLICATION_ID, topics.submitted()),
                StageName.stylize, new Stage(StylizeStageApp.APPLICATION_ID, topics.facesDetected()),
                StageName.blend, new Stage(BlendStageApp.APPLICATION_ID, topics.stylized()),
                StageName.webhook, new Stage(WebhookStageApp.APPLICATION_ID, topics.completed()),
                StageName.video,
                        new Stage(VideoStageApp.APPLICATION_ID, topics.videos().submitted()));
    }

    private record Stage(String applicationId, Topic<?> input) {}

    @Test
    void everyContainerRunsTheImageEntryPointWithArgumentsTheCommandLineAccepts() throws Exception {
        List<String> entryPoint = entryPoint();
        Set<StageName> stages = new HashSet<>();
        int ingests = 0;
        for (Map<String, Object> deployment : ofKind("Deployment")) {
            for (Map<String, Object> container : containers(deployment)) {
                String about = name(deployment) + "/" + container.get("name");
                assertThat((String) container.get("image")).as(about).startsWith("animegan-stream");
                @SuppressWarnings("unchecked")
                List<String> command = (List<String>) container.get("command");
                if (command != null) {
                    // Only the JVM's options may differ from the image's entry point.
                    assertThat(command.get(0)).as(about).isEqualTo("java");
                    assertThat(command.subList(command.size() - 2, command.size()))
                            .as(about)
                            .isEqualTo(entryPoint.subList(entryPoint.size() - 2, entryPoint.size()));
                }
                CommandLine.ParseResult parsed = parse(container);
                assertThat(parsed.hasSubcommand()).as(about).isTrue();
                Object subcommand = parsed.subcommand().commandSpec().userObject();
                if (subcommand instanceof StageCommand stage) {
                    assertThat(stages.add(stage.stage))
                            .as("one Deployment per stage: " + about)
                            .isTrue();
                } else {
                    assertThat(subcommand).as(about).isInstanceOf(IngestCommand.class);
                    ingests++;
                }
            }
        }
        assertThat(stages).containsExactlyInAnyOrder(StageName.values());
        assertThat(ingests).isEqualTo(1);
        assertThat(ofKind("Service")).extracting(KubernetesManifestsTest::name).contains("animegan-ingest");
        assertThat(ofKind("PodDisruptionBudget")).hasSize(ofKind("Deployment").size());
    }

    @Test
    void everyAnimeganVariableIsOneTheCodeReadsAndStagesGetWhatTheyNeed() throws Exception {
        Set<String> readByCode = CommandEnvironment.variablesReadByOptions();
        assertThat(readByCode)
                .as("the helper sees the options")
                .contains("ANIMEGAN_BOOTSTRAP_SERVERS", "ANIMEGAN_METRICS_PORT");
        for (Map<String, Object> source : List.of(configMap(), secret())) {
            assertThat(values(source).keySet())
                    .as(name(source))
                    .isNotEmpty()
                    .allSatisfy(key -> assertThat(readByCode).contains(key));
        }
        for (Map<String, Object> deployment : ofKind("Deployment")) {
            for (Map<String, Object> container : containers(deployment)) {
                Map<String, String> environment = environment(container);
                for (String name : environment.keySet()) {
                    if (name.startsWith("ANIMEGAN_")) {
                        assertThat(readByCode)
                                .as(name(deployment) + " sets " + name)
                                .contains(name);
                    }
                }
                assertThat(environment)
                        .as(name(deployment))
                        .containsKeys(
                                "ANIMEGAN_BOOTSTRAP_SERVERS",
                                "ANIMEGAN_S3_ENDPOINT",
                                "ANIMEGAN_S3_ACCESS_KEY",
                                "ANIMEGAN_S3_SECRET_KEY",
                                "ANIMEGAN_S3_BUCKET",
                                "ANIMEGAN_TOPIC_PREFIX");
            }
        }
        assertThat(values(secret()))
                .as("credentials come from the Secret")
                .containsKeys("ANIMEGAN_S3_ACCESS_KEY", "ANIMEGAN_S3_SECRET_KEY");
        assertThat(values(configMap())).doesNotContainKeys("ANIMEGAN_S3_ACCESS_KEY", "ANIMEGAN_S3_SECRET_KEY");
    }

    @Test
    @SuppressWarnings("unchecked")
    void kedaScalesEachStageOnItsOwnConsumerLagUpToThePartitionCount() throws Exception {
        Map<String, String> config = values(configMap());
        int partitions = Integer.parseInt(config.get("ANIMEGAN_PARTITIONS"));
        Topics topics = Topics.withPrefix(config.get("ANIMEGAN_TOPIC_PREFIX"), partitions, (short) 1);
        Map<StageName, Stage> wired = stagesAsWired(topics);
        Map<String, Map<String, Object>> deployments = new HashMap<>();
        ofKind("Deployment").forEach(d -> deployments.put(name(d), d));

        Set<StageName> scaled = new HashSet<>();
        for (Map<String, Object> scaledObject : ofKind("ScaledObject")) {
            Map<String, Object> spec = (Map<String, Object>) scaledObject.get("spec");
            String target = (String) ((Map<String, Object>) spec.get("scaleTargetRef")).get("name");
            assertThat(deployments)
                    .as(name(scaledObject) + " scales a Deployment of these manifests")
                    .containsKey(target);
            Object command = parse(containers(deployments.get(target)).get(0))
                    .subcommand()
                    .commandSpec()
                    .userObject();
            assertThat(command).as(target + " runs a stage").isInstanceOf(StageCommand.class);
            StageName stage = ((StageCommand) command).stage;
            assertThat(scaled.add(stage)).as("one ScaledObject per stage").isTrue();

            int max = (Integer) spec.get("maxReplicaCount");
            int min = (Integer) spec.getOrDefault("minReplicaCount", 0);
            assertThat(max)
                    .as(target + ": replicas beyond the partition count would idle")
                    .isBetween(Math.max(min, 1), partitions);
            List<Map<String, Object>> triggers = (List<Map<String, Object>>) spec.get("triggers");
            assertThat(triggers).as(target).hasSize(1);
            assertThat(triggers.get(0).get("type")).isEqualTo("kafka");
            Map<String, Object> kafka = (Map<String, Object>) triggers.get(0).get("metadata");
            assertThat(kafka.get("consumerGroup"))
                    .as(target + " consumer group = application id")
                    .isEqualTo(wired.get(stage).applicationId());
            assertThat(kafka.get("topic"))
                    .as(target + " input topic")
                    .isEqualTo(wired.get(stage).input().name());
            assertThat(kafka.get("bootstrapServers")).as(target).isEqualTo(config.get("ANIMEGAN_BOOTSTRAP_SERVERS"));
            assertThat(Integer.parseInt(String.valueOf(kafka.get("lagThreshold"))))
                    .as(target)
                    .isPositive();
            assertThat(String.valueOf(kafka.getOrDefault("allowIdleConsumers", "false")))
                    .as(target)
                    .isEqualTo("false");
        }
        assertThat(scaled).containsExactlyInAnyOrder(StageName.values());
    }

    @Test
    void theSecretIsNeverAppliedAndItsExampleHasNoUsableValue() throws Exception {
        List<String> resources = kustomizationResources();
        assertThat(resources)
                .as("kubectl apply -k applies these")
                .isNotEmpty()
                .noneMatch(file -> file.contains("secret"));
        assertThat(ofKind("Secret")).as("no Secret among the applied documents").isEmpty();
        assertThat(K8S.resolve("secret.yaml")).doesNotExist();
        Map<String, String> example = values(secret());
        assertThat(example).containsKeys("ANIMEGAN_S3_ACCESS_KEY", "ANIMEGAN_S3_SECRET_KEY", "ANIMEGAN_API_TOKENS");
        assertThat(example.values())
                .as("placeholders only")
                .allSatisfy(value -> assertThat(value).isBlank());
        assertThat(Files.readString(SECRET_EXAMPLE)).contains("kubectl create secret generic animegan-secrets");
        // Every file of the directory that is a manifest is either applied or the example.
        try (Stream<Path> files = Files.list(K8S)) {
            assertThat(files.map(f -> f.getFileName().toString())
                            .filter(f -> f.endsWith(".yaml"))
                            .filter(f -> !f.equals("kustomization.yaml"))
                            .toList())
                    .containsExactlyInAnyOrderElementsOf(
                            Stream.concat(resources.stream(), Stream.of("secret.example.yaml"))
                                    .toList());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyContainerRunsAsNonRootOnAReadOnlyRootFilesystemWithWritableEmptyDirs() throws Exception {
        String stateDir = values(configMap()).get("ANIMEGAN_STATE_DIR");
        assertThat(stateDir).isNotBlank();
        for (Map<String, Object> deployment : ofKind("Deployment")) {
            Map<String, Object> pod = (Map<String, Object>) template(deployment).get("spec");
            Map<String, Object> podSecurity = (Map<String, Object>) pod.get("securityContext");
            assertThat(podSecurity)
                    .as(name(deployment) + " pod securityContext")
                    .isNotNull()
                    .containsEntry("runAsNonRoot", true);
            assertThat((Integer) podSecurity.get("runAsUser"))
                    .as(name(deployment))
                    .isEqualTo(imageUid());
            Map<String, String> emptyDirs = new HashMap<>();
            for (Map<String, Object> volume : (List<Map<String, Object>>) pod.getOrDefault("volumes", List.of())) {
                if (volume.containsKey("emptyDir")) {
                    emptyDirs.put((String) volume.get("name"), "emptyDir");
                }
            }
            List<Map<String, Object>> all = new ArrayList<>(containers(deployment));
            all.addAll((List<Map<String, Object>>) pod.getOrDefault("initContainers", List.of()));
            for (Map<String, Object> container : all) {
                String about = name(deployment) + "/" + container.get("name");
                Map<String, Object> security = (Map<String, Object>) container.get("securityContext");
                assertThat(security)
                        .as(about + " securityContext")
                        .isNotNull()
                        .containsEntry("runAsNonRoot", true)
                        .containsEntry("readOnlyRootFilesystem", true)
                        .containsEntry("allowPrivilegeEscalation", false);
                assertThat((List<String>) ((Map<String, Object>) security.get("capabilities")).get("drop"))
                        .as(about)
                        .contains("ALL");
                Map<String, String> writable = new HashMap<>();
                for (Map<String, Object> mount :
                        (List<Map<String, Object>>) container.getOrDefault("volumeMounts", List.of())) {
                    if (emptyDirs.containsKey(mount.get("name")) && !Boolean.TRUE.equals(mount.get("readOnly"))) {
                        writable.put((String) mount.get("mountPath"), (String) mount.get("name"));
                    }
                }
                assertThat(writable)
                        .as(about + ": writable emptyDirs for temp files and the Kafka Streams state")
                        .containsKeys("/tmp", stateDir);
                assertThat(environment(container)).as(about).containsEntry("ANIMEGAN_STATE_DIR", stateDir);
            }
        }
    }

    @Test
    void theImageRunsAsANonRootUserThatOwnsTheStateDirectory() throws IOException {
        List<String> lines = Files.readAllLines(DOCKERFILE);
        int lastFrom = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("FROM ")) {
                lastFrom = i;
            }
        }
        List<String> runtime = lines.subList(lastFrom, lines.size());
        assertThat(imageUid()).as("USER of the runtime image").isPositive();
        String dockerfile = String.join("\n", runtime);
        assertThat(dockerfile)
                .contains("useradd")
                .contains("--uid " + imageUid())
                .contains("chown -R " + imageUid() + ":" + imageUid());
        Matcher state = Pattern.compile("ANIMEGAN_STATE_DIR=(\\S+)").matcher(dockerfile);
        assertThat(state.find()).isTrue();
        int uid = imageUid();
        String chown = runtime.stream()
                .filter(l -> l.contains("chown -R " + uid))
                .findFirst()
                .orElseThrow();
        assertThat(chown).as("the user owns the state directory").contains(state.group(1));
        assertThat(values(configMap()).get("ANIMEGAN_STATE_DIR")).isEqualTo(state.group(1));
    }

    /** The numeric uid the runtime image's last USER line names (never root). */
    private static int imageUid() throws IOException {
        List<String> users = Files.readAllLines(DOCKERFILE).stream()
                .filter(l -> l.startsWith("USER "))
                .toList();
        assertThat(users).as("Dockerfile USER").isNotEmpty();
        String user =
                users.get(users.size() - 1).substring("USER ".length()).strip().split(":")[0];
        assertThat(user)
                .as("a numeric uid, so runAsNonRoot can verify it")
                .matches("[0-9]+")
                .isNotEqualTo("0");
        return Integer.parseInt(user);
    }

    // ---- reading the manifests

    private static List<Map<String, Object>> documents;

    private static synchronized List<Map<String, Object>> documents() throws IOException {
        if (documents != null) {
            return documents;
        }
        List<Map<String, Object>> loaded = new ArrayList<>();
        for (String file : kustomizationResources()) {
            loaded.addAll(load(K8S.resolve(file)));
        }
        documents = List.copyOf(loaded);
        return documents;
    }

    /** What {@code kubectl apply -k deploy/k8s} applies. */
    @SuppressWarnings("unchecked")
    private static List<String> kustomizationResources() throws IOException {
        try (Reader reader = Files.newBufferedReader(KUSTOMIZATION)) {
            Map<String, Object> kustomization = new Yaml().load(reader);
            return (List<String>) kustomization.get("resources");
        }
    }

    private static List<Map<String, Object>> load(Path file) throws IOException {
        List<Map<String, Object>> loaded = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object document : new Yaml().loadAll(reader)) {
                if (document != null) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> map = (Map<String, Object>) document;
                    loaded.add(map);
                }
            }
        }
        return loaded;
    }

    static List<Map<String, Object>> ofKind(String kind) throws IOException {
        return documents().stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    private static Map<String, Object> one(String kind) throws IOException {
        List<Map<String, Object>> all = ofKind(kind);
        assertThat(all).as(kind).hasSize(1);
        return all.get(0);
    }

    private static Map<String, Object> configMap() throws IOException {
        return one("ConfigMap");
    }

    /** The Secret the operator creates, as secret.example.yaml describes it (keys without values). */
    private static Map<String, Object> secret() throws IOException {
        List<Map<String, Object>> all = load(SECRET_EXAMPLE);
        assertThat(all).as(SECRET_EXAMPLE.toString()).hasSize(1);
        return all.get(0);
    }

    @SuppressWarnings("unchecked")
    static String name(Map<String, Object> document) {
        return (String) ((Map<String, Object>) document.get("metadata")).get("name");
    }

    /** A ConfigMap's data or a Secret's stringData, as the container sees them. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> values(Map<String, Object> source) {
        Map<String, String> values = new HashMap<>();
        for (String field : List.of("data", "stringData")) {
            ((Map<String, Object>) source.getOrDefault(field, Map.of()))
                    .forEach((k, v) -> values.put(k, String.valueOf(v)));
        }
        return values;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> template(Map<String, Object> deployment) {
        return (Map<String, Object>) ((Map<String, Object>) deployment.get("spec")).get("template");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> containers(Map<String, Object> deployment) {
        return (List<Map<String, Object>>)
                ((Map<String, Object>) template(deployment).get("spec")).get("containers");
    }

    /** The environment Kubernetes gives the container: envFrom sources (which must exist here), then env. */
    @SuppressWarnings("unchecked")
    static Map<String, String> environment(Map<String, Object> container) throws IOException {
        Map<String, String> environment = new HashMap<>();
        for (Map<String, Object> from : (List<Map<String, Object>>) container.getOrDefault("envFrom", List.of())) {
            for (var ref :
                    Map.of("configMapRef", "ConfigMap", "secretRef", "Secret").entrySet()) {
                Map<String, Object> reference = (Map<String, Object>) from.get(ref.getKey());
                if (reference != null) {
                    List<Map<String, Object>> candidates =
                            ref.getValue().equals("Secret") ? List.of(secret()) : ofKind(ref.getValue());
                    Map<String, Object> source = candidates.stream()
                            .filter(d -> name(d).equals(reference.get("name")))
                            .findFirst()
                            .orElseThrow(() ->
                                    new AssertionError("no " + ref.getValue() + " named " + reference.get("name")));
                    environment.putAll(values(source));
                }
            }
        }
        for (Map<String, Object> variable : (List<Map<String, Object>>) container.getOrDefault("env", List.of())) {
            environment.put((String) variable.get("name"), String.valueOf(variable.get("value")));
        }
        return environment;
    }

    @SuppressWarnings("unchecked")
    static CommandLine.ParseResult parse(Map<String, Object> container) {
        List<String> args = (List<String>) container.get("args");
        assertThat(args).as("container %s args", container.get("name")).isNotEmpty();
        return Main.commandLine().parseArgs(args.toArray(String[]::new));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> httpGet(Map<String, Object> container, String probe) {
        Map<String, Object> spec = (Map<String, Object>) container.get(probe);
        assertThat(spec).as(container.get("name") + " " + probe).isNotNull();
        return (Map<String, Object>) spec.get("httpGet");
    }

    /** A probe's port, by name or number, as one of the container's ports. */
    @SuppressWarnings("unchecked")
    static int containerPort(Map<String, Object> container, Object port) {
        for (Map<String, Object> declared : (List<Map<String, Object>>) container.get("ports")) {
            if (port.equals(declared.get("name")) || port.equals(declared.get("containerPort"))) {
                return (Integer) declared.get("containerPort");
            }
        }
        throw new AssertionError(container.get("name") + " has no port " + port);
    }

    /** The image's ENTRYPOINT, e.g. [java, ..., -jar, /opt/animegan/animegan.jar]. */
    private static List<String> entryPoint() throws IOException {
        String line = Files.readAllLines(DOCKERFILE).stream()
                .filter(l -> l.startsWith("ENTRYPOINT"))
                .findFirst()
                .orElseThrow();
        List<String> entryPoint = new ArrayList<>();
        new ObjectMapper()
                .readTree(line.substring("ENTRYPOINT".length()).trim())
                .forEach(n -> entryPoint.add(n.asText()));
        return entryPoint;
    }

    static Set<String> dashboardSeries() throws IOException {
        Set<String> names = new TreeSet<>();
        Pattern series = Pattern.compile("\\banimegan_[a-z0-9_]+");
        for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher matcher = series.matcher(target.path("expr").asText());
                while (matcher.find()) {
                    names.add(matcher.group());
                }
            }
        }
        return names;
    }

    static Set<String> seriesNames(String scrape) {
        Set<String> names = new HashSet<>();
        scrape.lines()
                .filter(line -> !line.startsWith("#") && !line.isBlank())
                .forEach(line -> names.add(line.split("[{ ]")[0]));
        return names;
    }

    static int status(String url) {
        return PrometheusScrape.status(url);
    }
}
