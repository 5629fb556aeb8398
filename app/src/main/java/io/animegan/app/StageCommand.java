package io.animegan.app;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.stage.StageRunner;
import io.animegan.common.stage.TopicAdmin;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "stage", mixinStandardHelpOptions = true,
    description = "Runs one processing stage against an existing Kafka cluster and S3/MinIO. Start several to share the partitions.")
final class StageCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "Which stage: ${COMPLETION-CANDIDATES}")
  StageName stage;

  @Mixin
  ConnectionOptions connection;

  @Override
  public Integer call() throws Exception {
    PipelineConfig config = connection.toConfig();
    TopicAdmin.ensureTopics(config.bootstrapServers(), config.topics());
    StageRunner runner = stage.create(config).start();
    System.out.println(stage + " stage started against " + config.bootstrapServers());
    Lifecycle.runUntilStopped(runner);
    return 0;
  }
}
