package io.animegan.app;

import io.animegan.blend.BlendStageApp;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.stage.StageRunner;
import io.animegan.face.FaceStageApp;
import io.animegan.stylize.StylizeStageApp;
import io.animegan.video.VideoSettings;
import io.animegan.video.stage.VideoStageApp;
import io.animegan.webhook.WebhookSettings;
import io.animegan.webhook.WebhookStageApp;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/** The processing stages (pictures and clips) and webhook delivery, by the name used on the command line. */
public enum StageName {
    face((config, webhooks) -> FaceStageApp.create(config)),
    stylize((config, webhooks) -> StylizeStageApp.create(config, VideoSettings.DEFAULT)),
    blend((config, webhooks) -> BlendStageApp.create(config)),
    webhook((config, webhooks) -> WebhookStageApp.create(config, webhooks.get())),
    /** Plans clips into segments (drawn by stylize) and assembles them. */
    video((config, webhooks) -> VideoStageApp.create(config, VideoSettings.DEFAULT));

    private final BiFunction<PipelineConfig, Supplier<WebhookSettings>, StageRunner> factory;

    StageName(BiFunction<PipelineConfig, Supplier<WebhookSettings>, StageRunner> factory) {
        this.factory = factory;
    }

    /** @param webhooks the webhook settings, asked for only by the stage that calls back */
    public StageRunner create(PipelineConfig config, Supplier<WebhookSettings> webhooks) {
        return factory.apply(config, webhooks);
    }
}
