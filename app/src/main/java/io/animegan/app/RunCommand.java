package io.animegan.app;

import io.animegan.common.config.PipelineConfig;
import io.animegan.ingest.IngestSettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Runs the whole system in this JVM: embedded Kafka (KRaft) and S3 servers, all stages, the web server.")
final class RunCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "8080", description = "HTTP port. Default: ${DEFAULT-VALUE}")
  int port;

  @Option(names = "--data-dir", defaultValue = "data", description = "Kafka logs and stored pictures; kept across restarts. Default: ./${DEFAULT-VALUE}")
  Path dataDir;

  @Option(names = "--models", description = "Directory with the ONNX models. Default: ./models, or ../shared/models when ./models is absent")
  Path modelsDir;

  @Option(names = "--generator-model", defaultValue = PipelineConfig.DEFAULT_GENERATOR,
      description = "Generator file in the models directory, e.g. animeganv2-hayao-int8.onnx. Default: ${DEFAULT-VALUE}")
  String generatorModel;

  @Option(names = "--examples", defaultValue = "${env:ANIMEGAN_EXAMPLES_DIR}",
      description = "Folder of example photos the web page offers (env ANIMEGAN_EXAMPLES_DIR). Default: ../shared/samples when it exists")
  Path examplesDir;

  @Option(names = "--partitions", defaultValue = "3", description = "Partitions per topic. Default: ${DEFAULT-VALUE}")
  int partitions;

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    Path models = ConnectionOptions.resolveModelsDir(modelsDir);
    EmbeddedPipeline pipeline = EmbeddedPipeline.start(dataDir.toAbsolutePath(),
        IngestCommand.withExamples(IngestSettings.defaults().withPort(port), examplesDir), models, generatorModel, partitions);
    System.out.printf("animegan-stream ready in %.1f s: %s  (Ctrl-C stops)%n", (System.nanoTime() - start) / 1e9, pipeline.url());
    Lifecycle.runUntilStopped(pipeline);
    return 0;
  }
}
