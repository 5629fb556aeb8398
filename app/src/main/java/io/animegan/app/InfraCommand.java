package io.animegan.app;

import io.animegan.common.config.StorageConfig;
import io.animegan.common.storage.BlobStore;
import io.animegan.embedded.EmbeddedKafka;
import io.animegan.embedded.EmbeddedS3;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Only the infrastructure: the embedded Kafka broker (KRaft) and S3 server on fixed ports, so that
 * stages and ingest can run as separate processes on this machine and be stopped, restarted and
 * scaled one by one.
 */
@Command(
        name = "infra",
        mixinStandardHelpOptions = true,
        description =
                "Runs only the embedded Kafka broker (KRaft) and S3 server, on fixed ports, for separate stage and ingest processes.")
final class InfraCommand implements Callable<Integer> {

    /** Where a generated S3 secret is kept, inside the data directory, readable by its owner only. */
    static final String SECRET_FILE = "s3-secret";

    @Option(
            names = "--kafka-port",
            defaultValue = "${env:ANIMEGAN_KAFKA_PORT:-9092}",
            description = "Kafka client port (env ANIMEGAN_KAFKA_PORT). Default: ${DEFAULT-VALUE}")
    int kafkaPort;

    @Option(
            names = "--s3-port",
            defaultValue = "${env:ANIMEGAN_S3_PORT:-9000}",
            description = "S3 port (env ANIMEGAN_S3_PORT). Default: ${DEFAULT-VALUE}")
    int s3Port;

    @Mixin
    DataDirOption dataDir;

    @Option(
            names = "--s3-access-key",
            defaultValue = "${env:ANIMEGAN_S3_ACCESS_KEY:-animegan}",
            description = "The S3 server's access key (env ANIMEGAN_S3_ACCESS_KEY). Default: ${DEFAULT-VALUE}")
    String accessKey;

    @Option(
            names = "--s3-secret-key",
            defaultValue = "${env:ANIMEGAN_S3_SECRET_KEY}",
            description =
                    "Its secret key (env ANIMEGAN_S3_SECRET_KEY; prefer the variable). Without one, a secret is generated "
                            + "once and kept in <data-dir>/" + SECRET_FILE + " (mode 0600)")
    String secretKey;

    @Option(
            names = "--s3-bucket",
            defaultValue = "${env:ANIMEGAN_S3_BUCKET:-animegan}",
            description = "Bucket created at start-up (env ANIMEGAN_S3_BUCKET). Default: ${DEFAULT-VALUE}")
    String bucket;

    @Override
    public Integer call() throws Exception {
        StartupChecks.requireFreePort("0.0.0.0", kafkaPort, "--kafka-port (env ANIMEGAN_KAFKA_PORT)");
        StartupChecks.requireFreePort("0.0.0.0", s3Port, "--s3-port (env ANIMEGAN_S3_PORT)");
        Path data = dataDir.dir().toAbsolutePath();
        Files.createDirectories(data);
        Path secretFile = data.resolve(SECRET_FILE);
        boolean given = secretKey != null && !secretKey.isBlank();
        String secret = given ? secretKey : readOrCreateSecret(secretFile);

        List<AutoCloseable> started = new ArrayList<>();
        try {
            EmbeddedKafka kafka = EmbeddedKafka.start(data, kafkaPort);
            started.add(kafka);
            EmbeddedS3 s3 = EmbeddedS3.start(data, s3Port, accessKey, secret);
            started.add(s3);
            new BlobStore(new StorageConfig(s3.endpoint(), accessKey, secret, bucket, "us-east-1")).ensureBucket();
            printHowToConnect(System.out, kafka.bootstrapServers(), s3.endpoint(), data, given ? null : secretFile);
        } catch (RuntimeException | Error e) {
            stopAll(started);
            throw e;
        }
        Lifecycle.runUntilStopped(() -> stopAll(started));
        return 0;
    }

    /** The exact lines to paste into another shell; the secret itself is never printed. */
    void printHowToConnect(PrintStream out, String bootstrapServers, String s3Endpoint, Path data, Path secretFile) {
        out.println("animegan infra ready: Kafka " + bootstrapServers + ", S3 " + s3Endpoint + ", data in " + data
                + "  (Ctrl-C stops)");
        out.println();
        out.println("In each shell that runs a stage or ingest on this machine:");
        out.println("  export ANIMEGAN_BOOTSTRAP_SERVERS=" + bootstrapServers);
        out.println("  export ANIMEGAN_S3_ENDPOINT=" + s3Endpoint);
        out.println("  export ANIMEGAN_S3_BUCKET=" + bucket);
        out.println("  export ANIMEGAN_S3_ACCESS_KEY=" + accessKey);
        if (secretFile != null) {
            out.println("  export ANIMEGAN_S3_SECRET_KEY=\"$(cat " + secretFile
                    + ")\"   # generated, kept in that file (0600)");
        } else {
            out.println("  export ANIMEGAN_S3_SECRET_KEY=<the secret key given to infra>");
        }
        out.println("then, one per shell (start more of a stage to share its partitions):");
        out.println("  ./animegan stage face");
        out.println("  ./animegan stage stylize       # pictures and the segments of clips");
        out.println("  ./animegan stage blend");
        out.println("  ./animegan stage video         # plans clips into segments, assembles them");
        out.println("  ./animegan ingest              # http://localhost:8080/");
        out.flush();
    }

    /** The secret kept from an earlier run, so that stages and ingest keep working across restarts of infra. */
    static String readOrCreateSecret(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!kept.isEmpty()) {
                return kept;
            }
        }
        String secret = UUID.randomUUID().toString();
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, secret, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        return secret;
    }

    private static void stopAll(List<AutoCloseable> started) {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("error while stopping: " + e);
            }
        }
        started.clear();
    }
}
