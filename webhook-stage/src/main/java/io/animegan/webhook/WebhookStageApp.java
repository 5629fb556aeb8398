package io.animegan.webhook;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.stage.StageRunner;
import io.animegan.common.stage.StreamsSettings;

/**
 * The webhook-stage Kafka Streams application: reads the submitted, completed, failed and
 * jobs-completed topics and the videos' submitted, completed and failed topics, calls back the
 * pictures, clips and jobs that asked for it (signed with their tenant's secret, or the service's)
 * and writes how each delivery went to the webhook deliveries topic. Scaled on its own, apart from ingest, whose
 * request threads never call out.
 */
public final class WebhookStageApp {

    public static final String APPLICATION_ID = "animegan-webhook-stage";
    public static final String NAME = "webhook";

    private WebhookStageApp() {}

    public static StageRunner create(PipelineConfig config, WebhookSettings settings) {
        WebhookSender sender = new WebhookSender(settings);
        try {
            return new StageRunner(
                    APPLICATION_ID,
                    WebhookTopology.build(config.topics(), settings, sender, WebhookMetrics.global()),
                    StreamsSettings.forStage(
                            APPLICATION_ID,
                            config.bootstrapServers(),
                            config.kafkaClient(),
                            config.stateDir(),
                            config.topics().deadLetter().name()),
                    sender);
        } catch (RuntimeException | Error e) {
            sender.close();
            throw e;
        }
    }
}
