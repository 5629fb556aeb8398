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
 * one an option really reads.
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
    assertThat(stagesSeen).containsExactlyInAnyOrder("face", "stylize", "blend");
  }

  @Test
  void everyAnimeganVariableIsReadByAnOption() throws Exception {
    Set<String> readByCode = CommandEnvironment.variablesReadByOptions();
    for (var service : services().entrySet()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> environment = (Map<String, Object>) service.getValue().getOrDefault("environment", Map.of());
      for (String name : environment.keySet()) {
        if (name.startsWith("ANIMEGAN_")) {
          assertThat(readByCode).as(service.getKey() + " sets " + name).contains(name);
        }
      }
    }
    assertThat(services().get("stylize-stage").toString()).contains("replicas=3");
  }

  @Test
  void stagesGetTheBrokerAndStorageTheyNeed() throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> environment = (Map<String, Object>) services().get("face-stage").get("environment");
    assertThat(environment).containsKeys("ANIMEGAN_BOOTSTRAP_SERVERS", "ANIMEGAN_S3_ENDPOINT",
        "ANIMEGAN_S3_ACCESS_KEY", "ANIMEGAN_S3_SECRET_KEY", "ANIMEGAN_MODELS_DIR");
    assertThat(environment.get("ANIMEGAN_BOOTSTRAP_SERVERS")).isEqualTo("kafka:9092");
    String kafka = services().get("kafka").toString();
    assertThat(kafka).contains("PLAINTEXT://kafka:9092");
  }

}
