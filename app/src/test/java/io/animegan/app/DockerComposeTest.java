package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * docker-compose.yml can't be run here (no Docker engine), so this checks that it asks the code
 * for things the code understands: every service command parses, every ANIMEGAN_* variable is
 * one an option really reads. Issue 13: the services run as a dedicated, bucket-scoped MinIO user
 * made by a one-shot init service, never MinIO's root account, and nothing is published beyond the
 * host's loopback.
 */
class DockerComposeTest {

    private static final Path COMPOSE = Path.of("..", "docker-compose.yml");

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws Exception {
        try (Reader reader = Files.newBufferedReader(COMPOSE)) {
            Map<String, Object> compose = new Yaml().load(reader);
            return (Map<String, Map<String, Object>>) compose.get("services");
        }
    }

    @Test
    void everyApplicationServiceCommandParses() throws Exception {
        Set<String> stagesSeen = new HashSet<>();
        for (var service : services().entrySet()) {
            @SuppressWarnings("unchecked")
            List<String> command = (List<String>) service.getValue().get("command");
            if (service.getValue().get("build") == null) {
                continue; // kafka, minio: third-party images
            }
            assertThat(command).as(service.getKey()).isNotEmpty();
            CommandLine.ParseResult parsed = Main.commandLine().parseArgs(command.toArray(String[]::new));
            assertThat(parsed.hasSubcommand()).as(service.getKey()).isTrue();
            if (command.get(0).equals("stage")) {
                stagesSeen.add(command.get(1));
            }
        }
        assertThat(stagesSeen).containsExactlyInAnyOrder("face", "stylize", "blend", "video");
    }

    @Test
    void everyAnimeganVariableIsReadByAnOption() throws Exception {
        Set<String> readByCode = CommandEnvironment.variablesReadByOptions();
        for (var service : services().entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> environment =
                    (Map<String, Object>) service.getValue().getOrDefault("environment", Map.of());
            for (String name : environment.keySet()) {
                if (name.startsWith("ANIMEGAN_")) {
                    assertThat(readByCode)
                            .as(service.getKey() + " sets " + name)
                            .contains(name);
                }
            }
        }
        assertThat(services().get("stylize-stage").toString()).contains("replicas=3");
    }

    @Test
    void stagesGetTheBrokerAndStorageTheyNeed() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> environment =
                (Map<String, Object>) services().get("face-stage").get("environment");
        assertThat(environment)
                .containsKeys(
                        "ANIMEGAN_BOOTSTRAP_SERVERS",
                        "ANIMEGAN_S3_ENDPOINT",
                        "ANIMEGAN_S3_ACCESS_KEY",
                        "ANIMEGAN_S3_SECRET_KEY",
                        "ANIMEGAN_MODELS_DIR");
        assertThat(environment.get("ANIMEGAN_BOOTSTRAP_SERVERS")).isEqualTo("kafka:9092");
        String kafka = services().get("kafka").toString();
        assertThat(kafka).contains("PLAINTEXT://kafka:9092");
    }

    @Test
    @SuppressWarnings("unchecked")
    void servicesUseADedicatedBucketScopedMinioUserNotTheRootAccount() throws Exception {
        Map<String, Map<String, Object>> services = services();
        Map<String, Object> init = services.get("minio-init");
        assertThat(init).as("one-shot init service").isNotNull();
        assertThat((String) init.get("image")).startsWith("minio/mc");
        assertThat(String.valueOf(init.get("restart"))).isEqualTo("no");
        String script = String.join("\n", (List<String>) init.get("command"));
        assertThat(script)
                .contains(
                        "mc mb --ignore-existing",
                        "mc admin user add local \"$$ANIMEGAN_S3_ACCESS_KEY\"",
                        "mc admin policy create local animegan-app /policy/animegan-app.json",
                        "mc admin policy attach local animegan-app --user \"$$ANIMEGAN_S3_ACCESS_KEY\"");
        assertThat((List<String>) init.get("volumes"))
                .anySatisfy(volume -> assertThat(volume).startsWith("./deploy/minio/animegan-app-policy.json:"));

        Path policy = Path.of("..", "deploy", "minio", "animegan-app-policy.json");
        com.fasterxml.jackson.databind.JsonNode statements = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(policy.toFile())
                .path("Statement");
        assertThat(statements.size()).isPositive();
        for (com.fasterxml.jackson.databind.JsonNode statement : statements) {
            assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
            statement
                    .path("Resource")
                    .forEach(resource -> assertThat(resource.asText())
                            .as("only the service's bucket")
                            .matches("arn:aws:s3:::animegan(/\\*)?"));
            statement
                    .path("Action")
                    .forEach(action -> assertThat(action.asText())
                            .as("no admin or bucket-creating action")
                            .startsWith("s3:")
                            .doesNotContain("*")
                            .isNotEqualTo("s3:CreateBucket"));
        }

        for (var service : services.entrySet()) {
            if (service.getValue().get("build") == null) {
                continue;
            }
            Map<String, Object> environment =
                    (Map<String, Object>) service.getValue().get("environment");
            String about = service.getKey();
            assertThat(String.valueOf(environment.get("ANIMEGAN_S3_ACCESS_KEY")))
                    .as(about)
                    .contains("ANIMEGAN_S3_ACCESS_KEY")
                    .doesNotContain("MINIO_ROOT");
            assertThat(String.valueOf(environment.get("ANIMEGAN_S3_SECRET_KEY")))
                    .as(about)
                    .contains("ANIMEGAN_S3_SECRET_KEY")
                    .doesNotContain("MINIO_ROOT");
            assertThat(service.getValue().toString()).as(about).doesNotContain("MINIO_ROOT");
            Map<String, Object> dependsOn =
                    (Map<String, Object>) service.getValue().get("depends_on");
            assertThat(dependsOn)
                    .as(about + " waits for the bucket and user")
                    .containsEntry("minio-init", Map.of("condition", "service_completed_successfully"));
            assertThat(environment).as(about).containsKey("ANIMEGAN_S3_PUBLIC_ENDPOINT");
        }
        // The same defaults on both sides: the user the init makes is the user the services log in as.
        Map<String, Object> initEnvironment = (Map<String, Object>) init.get("environment");
        Map<String, Object> appEnvironment =
                (Map<String, Object>) services.get("ingest").get("environment");
        assertThat(initEnvironment.get("ANIMEGAN_S3_ACCESS_KEY"))
                .isEqualTo(appEnvironment.get("ANIMEGAN_S3_ACCESS_KEY"));
        assertThat(initEnvironment.get("ANIMEGAN_S3_BUCKET")).isEqualTo(appEnvironment.get("ANIMEGAN_S3_BUCKET"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void nothingIsPublishedBeyondTheLoopbackAndModelsComeFromTheRepository() throws Exception {
        Map<String, Map<String, Object>> services = services();
        assertThat((List<String>) services.get("minio").get("ports"))
                .as("MinIO console")
                .containsExactly("127.0.0.1:9001:9001");
        for (var service : services.entrySet()) {
            for (Object port : (List<Object>) service.getValue().getOrDefault("ports", List.of())) {
                assertThat(String.valueOf(port))
                        .as(service.getKey() + " publishes on the loopback only")
                        .startsWith("127.0.0.1:");
            }
        }
        assertThat((List<String>) services.get("face-stage").get("volumes"))
                .containsExactly("${MODELS_DIR:-./models}:/models:ro");
        assertThat(Files.readString(COMPOSE)).doesNotContain("../shared");
    }
}
