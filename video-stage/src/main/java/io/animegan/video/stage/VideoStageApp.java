package io.animegan.video.stage;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.stage.StageRunner;
import io.animegan.common.storage.BlobStore;
import io.animegan.video.VideoSettings;
import java.nio.file.Path;

/**
 * The video-stage Kafka Streams application: plans submitted clips into segment records and
 * assembles the drawn segments (see {@link VideoStageTopology}). Segments are drawn by stylize-stage.
 */
public final class VideoStageApp {

    public static final String APPLICATION_ID = "animegan-video-stage";

    private VideoStageApp() {}

    public static StageRunner create(PipelineConfig config, VideoSettings settings) {
        BlobStore store = new BlobStore(config.storage());
        Path work = workDir();
        ClipPlanning planning = new ClipPlanning(store, settings, work);
        ClipAssembly assembly = new ClipAssembly(store, settings, work);
        return new StageRunner(
                APPLICATION_ID,
                VideoStageTopology.build(config.topics().videos(), planning::plan, assembly::assemble, store.bucket()),
                VideoStreamsSettings.forApplication(APPLICATION_ID, config),
                () -> {});
    }

    /** Where clips are fetched to while a record is processed; each record deletes its own files. */
    public static Path workDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "animegan-video");
    }
}
