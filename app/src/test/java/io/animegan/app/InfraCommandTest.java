package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What {@code infra} tells people to run next. */
class InfraCommandTest {

    @Test
    void printsEveryStageCommandWebhookIncludedAndNoSecret() {
        InfraCommand infra = new InfraCommand();
        infra.bucket = "animegan";
        infra.accessKey = "animegan";
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        infra.printHowToConnect(
                new PrintStream(printed, true, StandardCharsets.UTF_8),
                "localhost:9092",
                "http://localhost:9000",
                Path.of("data"),
                Path.of("data", "s3-secret"));

        String text = printed.toString(StandardCharsets.UTF_8);
        assertThat(text)
                .contains(
                        "./animegan stage face",
                        "./animegan stage stylize",
                        "./animegan stage blend",
                        "./animegan stage webhook",
                        "ANIMEGAN_WEBHOOK_SECRET",
                        "./animegan ingest")
                .contains("$(cat data/s3-secret)");
    }
}
