package io.animegan.app;

import io.animegan.ingest.IngestServer;
import io.animegan.ingest.IngestSettings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Runs the HTTP API and web page against an existing Kafka cluster and S3/MinIO.")
final class IngestCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "${env:ANIMEGAN_HTTP_PORT:-8080}", description = "HTTP port (env ANIMEGAN_HTTP_PORT). Default: ${DEFAULT-VALUE}")
  int port;

  @Mixin
  ConnectionOptions connection;

  @Mixin
  HttpOptions http;

  @Override
  public Integer call() throws Exception {
    IngestSettings settings = http.toSettings(port);
    IngestServer server = IngestServer.start(connection.toConfig(), settings);
    System.out.println("ingest listening on " + HttpOptions.describe(settings, server.port()));
    Lifecycle.runUntilStopped(server);
    return 0;
  }
}
