package io.animegan.webhook;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.StorageConfig;
import io.animegan.common.config.Topics;
import io.animegan.common.stage.StageRunner;
import io.animegan.common.webhook.CallbackPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** webhook-stage in a JVM of its own, for {@link WebhookKillIT} to kill: args bootstrap servers, state directory. */
public final class WebhookStageProcess {

    private WebhookStageProcess() {}

    public static void main(String[] args) throws Exception {
        PipelineConfig config = new PipelineConfig(
                args[0],
                Topics.withPrefix("kill.images.", 2, (short) 1),
                new StorageConfig("http://127.0.0.1:1", "unused", "unused-secret", "unused", "us-east-1"),
                Path.of(args[1], "models"),
                PipelineConfig.DEFAULT_GENERATOR,
                0,
                Path.of(args[1]));
        WebhookSettings settings = WebhookSettings.of(
                        WebhookIT.SECRET,
                        CallbackPolicy.allowing(List.of("127.0.0.1")),
                        Duration.ofMinutes(10),
                        Duration.ofSeconds(30),
                        "")
                .withBackoff(Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofMillis(100));
        StageRunner stage = WebhookStageApp.create(config, settings).start();
        if (stage.awaitRunning(Duration.ofSeconds(120))) {
            System.out.println("RUNNING");
        }
        new CountDownLatch(1).await(); // until the test kills this process
    }
}
