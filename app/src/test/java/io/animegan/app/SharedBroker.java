package io.animegan.app;

import io.animegan.embedded.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One embedded Kafka broker for the integration tests of this JVM that can share it, started on
 * first use and stopped with the JVM. A class may share it when its topics have their own prefix
 * and no consumer group or Streams application of another class reads them, so that it never
 * sees another class's records: StorageOutageRetryIT, SeparateProcessesIT, MetricsAcceptanceIT
 * and VideoFaultsIT. Classes that stop or break the broker, or whose status application (one
 * fixed application id) must start from empty changelogs, start their own.
 */
final class SharedBroker {

    private static EmbeddedKafka kafka;

    private SharedBroker() {}

    static synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            try {
                Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "shared-broker-");
                kafka = EmbeddedKafka.start(dir, 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EmbeddedKafka started = kafka;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-broker-stop"));
        }
        return kafka;
    }
}
