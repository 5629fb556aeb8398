package io.animegan.video.stage;

import io.animegan.common.config.VideoTopics;
import io.animegan.common.metrics.StageMetrics;
import io.animegan.common.stage.CloudEventHeaders;
import io.animegan.common.stage.ErrorCode;
import io.animegan.common.stage.StageException;
import io.animegan.common.storage.Keys;
import io.animegan.events.SegmentDrawn;
import io.animegan.events.SegmentRequested;
import io.animegan.events.VideoCompleted;
import io.animegan.events.VideoFailed;
import io.animegan.events.VideoPlanned;
import io.animegan.events.VideoSubmitted;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The video stage's one topology, in two parts.
 *
 * <ul>
 *   <li><b>plan</b>: VideoSubmitted → VideoPlanned (keyed by video id), the clip's preview
 *       request on the previews topic (keyed by video id) and one SegmentRequested per segment
 *       (keyed {@code videoId/index}, so segments spread over partitions and stylize instances), or
 *       VideoFailed.
 *   <li><b>assemble</b>: SegmentDrawn (keyed by video id, so a clip's segments meet on one
 *       partition) collected in a store; when the last is in, the clip is assembled once:
 *       VideoCompleted or VideoFailed, and the clip is closed in the store in the same transaction,
 *       so a replayed or duplicate segment never assembles it again. A VideoFailed of any stage
 *       closes the clip too, dropping what was collected. A drawn preview is not a segment and is
 *       passed over.
 * </ul>
 *
 * Completion and failure records carry CloudEvents headers.
 */
public final class VideoStageTopology {

    private static final Logger log = LoggerFactory.getLogger(VideoStageTopology.class);

    public static final String STORE = "video-assembly";
    static final String SOURCE = "/animegan/video-stage";

    private VideoStageTopology() {}

    /**
     * @param plan {@link ClipPlanning#plan}
     * @param assemble {@link ClipAssembly#assemble}
     * @param bucket the service's bucket, the only one drawn segments may be in
     */
    public static Topology build(
            VideoTopics topics,
            Function<VideoSubmitted, ClipPlanning.Outcome> plan,
            BiFunction<SegmentDrawn, Collected, VideoCompleted> assemble,
            String bucket) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, SpecificRecord> planned = builder.stream(
                        topics.submitted().name(), topics.submitted().consumed().withName("video-submitted"))
                .process(
                        () -> new VideoStep<>(ClipPlanning.NAME, plan.andThen(VideoStageTopology::records)),
                        Named.as(ClipPlanning.NAME));
        VideoStep.only(planned, VideoPlanned.class, "video-planned")
                .to(topics.planned().name(), topics.planned().produced());
        KStream<String, SegmentRequested> requests = VideoStep.only(planned, SegmentRequested.class, "video-requests");
        requests.filter((key, request) -> request.getPreview(), Named.as("video-preview"))
                .to(topics.previews().name(), topics.previews().produced());
        requests.filterNot((key, request) -> request.getPreview(), Named.as("video-segments"))
                .to(
                        topics.segments().name(),
                        topics.segments().produced().withStreamPartitioner(new SegmentPartitioner()));
        VideoStep.failures(planned, topics.failed(), SOURCE, "video-plan-failed");

        // A few bytes per clip: kept in memory, restored from its changelog when a task starts.
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(), Serdes.String()));
        KStream<String, SpecificRecord> assembled = builder.stream(
                        topics.segmentsDrawn().name(),
                        topics.segmentsDrawn().consumed().withName("video-segments-drawn"))
                .filterNot((id, drawn) -> drawn.getPreview(), Named.as("video-segments-not-preview"))
                .process(() -> new AssembleStep(assemble, bucket), Named.as(ClipAssembly.NAME), STORE);
        VideoStep.only(assembled, VideoCompleted.class, "video-completed")
                .processValues(CloudEventHeaders.<VideoCompleted>writer(SOURCE), Named.as("video-completed-cloudevent"))
                .to(topics.completed().name(), topics.completed().produced());
        VideoStep.failures(assembled, topics.failed(), SOURCE, "video-assemble-failed");

        builder.stream(topics.failed().name(), topics.failed().consumed().withName("video-failed"))
                .process(CloseFailed::new, Named.as("video-close-failed"), STORE);
        return builder.build();
    }

    /** A plan's records as they go to Kafka: the planned clip, its preview, then its segments. */
    private static List<KeyValue<String, SpecificRecord>> records(ClipPlanning.Outcome outcome) {
        List<KeyValue<String, SpecificRecord>> records = new ArrayList<>();
        records.add(KeyValue.pair(outcome.planned().getVideoId(), outcome.planned()));
        records.add(KeyValue.pair(outcome.preview().key(), outcome.preview().value()));
        outcome.segments().forEach(s -> records.add(KeyValue.pair(s.key(), s.value())));
        return records;
    }

    /** Collects a clip's drawn segments and assembles it once, when the last is in. */
    static final class AssembleStep extends ContextualProcessor<String, SegmentDrawn, String, SpecificRecord> {

        private final BiFunction<SegmentDrawn, Collected, VideoCompleted> assemble;
        private final String bucket;
        private KeyValueStore<String, String> store;

        AssembleStep(BiFunction<SegmentDrawn, Collected, VideoCompleted> assemble, String bucket) {
            this.assemble = assemble;
            this.bucket = bucket;
        }

        @Override
        public void init(ProcessorContext<String, SpecificRecord> context) {
            super.init(context);
            store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, SegmentDrawn> record) {
            SegmentDrawn drawn = record.value();
            String id = drawn.getVideoId();
            Collected collected = Collected.decode(store.get(id));
            if (collected.closed()) {
                log.info("{}: video {} is {}; segment {} ignored", ClipAssembly.NAME, id, collected, drawn.getIndex());
                return;
            }
            Collected more;
            try {
                checkSegment(drawn);
                more = collected.with(drawn.getIndex(), drawn.getFrames());
            } catch (StageException e) {
                close(record, id, VideoFailures.of(ClipAssembly.NAME, id, drawn.getTrace(), e));
                return;
            }
            if (!more.complete(drawn.getSegments())) {
                store.put(id, more.encode());
                return;
            }
            SpecificRecord outcome = StageMetrics.of(ClipAssembly.NAME)
                    .record(
                            () -> assembleOrFail(drawn, more),
                            out -> out instanceof VideoFailed failed ? failed.getErrorCode() : null);
            close(record, id, outcome);
        }

        private SpecificRecord assembleOrFail(SegmentDrawn drawn, Collected collected) {
            try {
                VideoCompleted completed = assemble.apply(drawn, collected);
                log.info(
                        "{}: video {} assembled: {} frames in {} segments",
                        ClipAssembly.NAME,
                        drawn.getVideoId(),
                        completed.getFrames(),
                        completed.getSegments());
                return completed;
            } catch (RuntimeException e) {
                return VideoFailures.of(ClipAssembly.NAME, drawn.getVideoId(), drawn.getTrace(), e);
            }
        }

        /** The outcome goes out in the same transaction as the store's note that the clip is closed. */
        private void close(Record<String, SegmentDrawn> record, String id, SpecificRecord outcome) {
            store.put(id, (outcome instanceof VideoCompleted ? Collected.ASSEMBLED : Collected.FAILED).encode());
            context().forward(record.withKey(id).withValue(outcome));
        }

        /** A segment record names its own clip's segment object, in range. */
        private void checkSegment(SegmentDrawn drawn) {
            int index = drawn.getIndex();
            if (drawn.getSegments() < 1 || index < 0 || index >= drawn.getSegments() || drawn.getFrames() < 1) {
                throw new StageException(
                        ErrorCode.INTERNAL_ERROR,
                        "segment " + index + " of " + drawn.getSegments() + " with " + drawn.getFrames() + " frames");
            }
            if (!bucket.equals(drawn.getSegment().getBucket())
                    || !Keys.videoSegment(drawn.getVideoId(), index)
                            .equals(drawn.getSegment().getKey())) {
                throw new StageException(
                        ErrorCode.FORBIDDEN_KEY, "the event names an object that is not this clip's segment " + index);
            }
        }
    }

    /** A clip failed somewhere: what was collected is dropped and later segments are ignored. */
    static final class CloseFailed extends ContextualProcessor<String, VideoFailed, Void, Void> {

        private KeyValueStore<String, String> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            super.init(context);
            store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, VideoFailed> record) {
            String id = record.value().getVideoId();
            if (Collected.decode(store.get(id)).state() != Collected.State.ASSEMBLED) {
                store.put(id, Collected.FAILED.encode());
            }
        }
    }
}
