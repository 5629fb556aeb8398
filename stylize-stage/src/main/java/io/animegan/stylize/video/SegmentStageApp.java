package io.animegan.stylize.video;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.VideoTopics;
import io.animegan.common.stage.StageRunner;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.StorageException;
import io.animegan.events.SegmentDrawn;
import io.animegan.events.SegmentRequested;
import io.animegan.stylize.Generators;
import io.animegan.video.VideoSettings;
import io.animegan.video.stage.VideoStageApp;
import io.animegan.video.stage.VideoStep;
import io.animegan.video.stage.VideoStreamsSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segment application of stylize-stage: SegmentRequested in, SegmentDrawn (keyed by video id,
 * for assembly) or VideoFailed out. It runs in the stylize process beside the picture application
 * and shares its {@link Generators}, so the models are loaded once. One record per poll, so the
 * segments of a clip are shared by every stylize process rather than fetched in batches by one.
 *
 * <p>Beside it runs the preview application (its own thread and consumer group): clips' previews
 * in, SegmentDrawn with {@code preview} set out, so a preview is drawn at once rather than behind
 * queued segments. A preview that cannot be drawn is logged and dropped, never failing its clip:
 * the status then shows the first drawn segment as the preview, and a bad clip fails in its
 * segments anyway. A storage outage is retried as for segments.
 */
public final class SegmentStageApp {

    public static final String APPLICATION_ID = "animegan-segment-stage";
    public static final String PREVIEW_APPLICATION_ID = "animegan-preview-stage";
    /** Clips kept fetched per instance. */
    public static final int CACHED_CLIPS = 3;

    static final String SOURCE = "/animegan/stylize-stage";

    private static final Logger log = LoggerFactory.getLogger(SegmentStageApp.class);

    private SegmentStageApp() {}

    public static StageRunner create(PipelineConfig config, Generators generators, VideoSettings settings) {
        BlobStore store = new BlobStore(config.storage());
        Path work = VideoStageApp.workDir().resolve("segments");
        SegmentDrawer drawer = new SegmentDrawer(
                store,
                generators,
                settings,
                new ClipCache(store, work.resolve("clips"), CACHED_CLIPS),
                work,
                config.modelsDir(),
                config.onnxThreads());
        String applicationId = applicationId(APPLICATION_ID, generators.served());
        String previewApplicationId = applicationId(PREVIEW_APPLICATION_ID, generators.served());
        // The segment application closes the drawer, after the preview application (its companion) stops.
        StageRunner previews = new StageRunner(
                previewApplicationId,
                previewTopology(config.topics().videos(), drawer),
                VideoStreamsSettings.forApplication(previewApplicationId, config),
                () -> {});
        return new StageRunner(
                        applicationId,
                        topology(config.topics().videos(), drawer),
                        VideoStreamsSettings.forApplication(applicationId, config),
                        drawer)
                .with(previews);
    }

    /** Like the picture application: one consumer group per set of styles (see StylizeStageApp). */
    static String applicationId(String base, Set<String> styles) {
        return styles.isEmpty() ? base : base + "." + String.join(".", new TreeSet<>(styles));
    }

    static Topology topology(VideoTopics topics, SegmentDrawer drawer) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, SpecificRecord> drawn = builder.stream(
                        topics.segments().name(), topics.segments().consumed().withName("segment-requested"))
                .filter((key, request) -> drawer.serves(request), Named.as("segment-own-records"))
                .process(
                        () -> new VideoStep<SegmentRequested>(SegmentDrawer.NAME, request -> draw(drawer, request)),
                        Named.as("segment-draw"));
        VideoStep.only(drawn, SegmentDrawn.class, "segment-drawn")
                .to(topics.segmentsDrawn().name(), topics.segmentsDrawn().produced());
        VideoStep.failures(drawn, topics.failed(), SOURCE, "segment-failed");
        return builder.build();
    }

    static Topology previewTopology(VideoTopics topics, SegmentDrawer drawer) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, SpecificRecord> drawn = builder.stream(
                        topics.previews().name(), topics.previews().consumed().withName("preview-requested"))
                .filter(
                        (key, request) -> drawer.serves(request) && request.getPreview(),
                        Named.as("preview-own-records"))
                .process(
                        () -> new VideoStep<SegmentRequested>(SegmentDrawer.NAME, request -> preview(drawer, request)),
                        Named.as("preview-draw"));
        VideoStep.only(drawn, SegmentDrawn.class, "preview-drawn")
                .to(topics.segmentsDrawn().name(), topics.segmentsDrawn().produced());
        return builder.build();
    }

    private static List<KeyValue<String, SpecificRecord>> draw(SegmentDrawer drawer, SegmentRequested request) {
        return List.of(KeyValue.pair(request.getVideoId(), drawer.draw(request)));
    }

    /** The drawn preview, or nothing when it cannot be drawn: a preview never fails its clip. */
    static List<KeyValue<String, SpecificRecord>> preview(SegmentDrawer drawer, SegmentRequested request) {
        try {
            return draw(drawer, request);
        } catch (StorageException outage) {
            throw outage;
        } catch (RuntimeException e) {
            log.warn("{}: video {}: no preview: {}", SegmentDrawer.NAME, request.getVideoId(), e.toString());
            return List.of();
        }
    }
}
