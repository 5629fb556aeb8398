package io.animegan.app;

import io.animegan.common.trace.Telemetry;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import io.animegan.ingest.IngestSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Runs the whole system in this JVM: embedded Kafka (KRaft) and S3 servers, all stages, the web server.")
final class RunCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = "--port", defaultValue = "8080", description = "HTTP port. Default: ${DEFAULT-VALUE}")
  int port;

  @Option(names = "--data-dir", defaultValue = "data", description = "Kafka logs and stored pictures; kept across restarts. Default: ./${DEFAULT-VALUE}")
  Path dataDir;

  @Option(names = "--models", defaultValue = "${env:ANIMEGAN_MODELS_DIR:-models}",
      description = "Directory with the ONNX models (env ANIMEGAN_MODELS_DIR; ./animegan sets it to its own models/). Default: ./${DEFAULT-VALUE}")
  Path modelsDir;

  @Option(names = "--generator-model", defaultValue = "int8",
      description = "Generator variant for every style that has two: int8 or float (or a model file name). Default: ${DEFAULT-VALUE}")
  String generatorModel;

  @Option(names = "--partitions", defaultValue = "3", description = "Partitions per topic. Default: ${DEFAULT-VALUE}")
  int partitions;

  @Mixin
  HttpOptions http;

  @Mixin
  LogOptions logs;

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    Telemetry.start("animegan");
    Path models = ConnectionOptions.resolveModelsDir(modelsDir);
    IngestSettings settings = http.toSettings(port);
    // Checked before the broker, storage and sessions start, so a wrong setting stops it at once.
    StartupChecks.requireFreePort(settings.bindAddress(), port, "--port");
    StartupChecks.requireModels(models, generatorModel, EnumSet.allOf(StageName.class));
    EmbeddedPipeline pipeline = EmbeddedPipeline.start(dataDir.toAbsolutePath(), settings, http.toLimits(), models,
        generatorModel, partitions, EnumSet.allOf(StageName.class));
    log.info("animegan-stream ready in {} s: {}; Ctrl-C stops",
        String.format("%.1f", (System.nanoTime() - start) / 1e9), HttpOptions.describe(settings, pipeline.httpPort()));
    Lifecycle.runUntilStopped(pipeline);
    return 0;
  }
}
