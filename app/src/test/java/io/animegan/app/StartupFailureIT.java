package io.animegan.app;

import static io.animegan.app.StartupFailureTest.assertOneLine;
import static io.animegan.app.StartupFailureTest.closedPort;
import static io.animegan.app.StartupFailureTest.execute;
import static io.animegan.app.StartupFailureTest.s3;
import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.app.StartupFailureTest.Outcome;
import io.animegan.common.testing.TestAssets;
import io.animegan.embedded.EmbeddedS3;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka broker nobody answers at stops a command with one line once its 10 s wait is over: a
 * fault that takes that long by design, so in the integration tier beside StartupFailureTest.
 */
class StartupFailureIT {

    @TempDir
    Path dir;

    @Test
    void unreachableKafkaIsReportedWithinSecondsWithOneLine() throws Exception {
        String nobody = "127.0.0.1:" + closedPort();
        Outcome stage = execute(s3("stage", "blend", "--bootstrap-servers", nobody));
        assertOneLine(
                stage,
                1,
                "no Kafka broker reachable at " + nobody + " within 10 s",
                "--bootstrap-servers",
                "ANIMEGAN_BOOTSTRAP_SERVERS");
        // The 10 s wait, up to twice that on a loaded machine.
        assertThat(stage.took()).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(20));

        // ingest reaches storage first, then the broker.
        try (EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), 0, "test", "test-secret")) {
            Outcome ingest = execute(s3(
                    "ingest",
                    "--port",
                    "0",
                    "--bootstrap-servers",
                    nobody,
                    "--s3-endpoint",
                    s3.endpoint(),
                    "--state-dir",
                    dir.resolve("state").toString(),
                    "--models",
                    TestAssets.modelsDir().toString()));
            assertOneLine(ingest, 1, "no Kafka broker reachable at " + nobody);
            // The 10 s wait after storage, with the same room as the stage's.
            assertThat(ingest.took()).isLessThan(Duration.ofSeconds(25));
        }
    }
}
