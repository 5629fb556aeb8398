package io.animegan.app;

import io.animegan.ingest.IngestServer;
import io.animegan.ingest.IngestSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Runs the HTTP API and web page against an existing Kafka cluster and S3/MinIO.")
final class IngestCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "${env:ANIMEGAN_HTTP_PORT:-8080}", description = "HTTP port (env ANIMEGAN_HTTP_PORT). Default: ${DEFAULT-VALUE}")
  int port;

  @Option(names = "--examples", defaultValue = "${env:ANIMEGAN_EXAMPLES_DIR}",
      description = "Folder of example photos the web page offers (env ANIMEGAN_EXAMPLES_DIR). Default: ../shared/samples when it exists")
  Path examplesDir;

  @Mixin
  ConnectionOptions connection;

  @Override
  public Integer call() throws Exception {
    IngestServer server = IngestServer.start(connection.toConfig(),
        withExamples(IngestSettings.defaults().withPort(port), examplesDir));
    System.out.println("ingest listening on http://localhost:" + server.port() + "/");
    Lifecycle.runUntilStopped(server);
    return 0;
  }

  /** The settings with {@code examplesDir} when one was given; it must then be a folder. */
  static IngestSettings withExamples(IngestSettings settings, Path examplesDir) {
    if (examplesDir == null) {
      return settings;
    }
    if (!Files.isDirectory(examplesDir)) {
      throw new IllegalArgumentException("examples folder " + examplesDir + " does not exist");
    }
    return settings.withExamplesDir(examplesDir);
  }
}
