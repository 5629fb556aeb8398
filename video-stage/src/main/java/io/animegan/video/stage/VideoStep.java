package io.animegan.video.stage;

import io.animegan.common.config.Topic;
import io.animegan.common.metrics.StageMetrics;
import io.animegan.common.stage.CloudEventHeaders;
import io.animegan.events.Trace;
import io.animegan.events.VideoFailed;
import java.util.List;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One step of a clip as a processor: runs the step's work on a video event (every one has {@code
 * videoId} and {@code trace}) and forwards its keyed outputs, or a VideoFailed keyed by the video
 * id naming this step ({@link VideoFailures}); a storage outage escapes, so Kafka Streams retries
 * the record. Timed and counted as the stage's metrics.
 */
public final class VideoStep<I extends SpecificRecordBase>
        extends ContextualProcessor<String, I, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(VideoStep.class);

    private final String stage;
    private final Function<I, List<KeyValue<String, SpecificRecord>>> work;

    /** @param work the step's outputs for one event, each with its record key */
    public VideoStep(String stage, Function<I, List<KeyValue<String, SpecificRecord>>> work) {
        this.stage = stage;
        this.work = work;
    }

    @Override
    public void process(Record<String, I> record) {
        I event = record.value();
        String id = String.valueOf(event.get("videoId"));
        long start = System.nanoTime();
        List<KeyValue<String, SpecificRecord>> outputs =
                StageMetrics.of(stage).record(() -> runOrFail(event, id), VideoStep::errorCode);
        // A step takes seconds to minutes, so its outputs carry the time it finished rather than its
        // input's: the status reads progress and the ETA from record times.
        long finishedAtMs = System.currentTimeMillis();
        outputs.forEach(kv ->
                context().forward(record.withKey(kv.key).withValue(kv.value).withTimestamp(finishedAtMs)));
        log.info("{}: video {} done in {} ms", stage, id, (System.nanoTime() - start) / 1_000_000);
    }

    private List<KeyValue<String, SpecificRecord>> runOrFail(I event, String id) {
        try {
            return work.apply(event);
        } catch (RuntimeException e) {
            return List.of(KeyValue.pair(id, VideoFailures.of(stage, id, (Trace) event.get("trace"), e)));
        }
    }

    /** The VideoFailed event's code, or null for any other outcome (how metrics count outcomes). */
    static String errorCode(List<KeyValue<String, SpecificRecord>> outputs) {
        return outputs.size() == 1 && outputs.get(0).value instanceof VideoFailed failed ? failed.getErrorCode() : null;
    }

    /** The records of one type among a step's outputs. */
    public static <T extends SpecificRecord> KStream<String, T> only(
            KStream<String, SpecificRecord> records, Class<T> type, String name) {
        return records.filter((id, value) -> type.isInstance(value), Named.as(name + "-only"))
                .mapValues(type::cast, Named.as(name + "-typed"));
    }

    /** Sends a step's VideoFailed outputs to {@code failed} with CloudEvents headers. */
    public static void failures(
            KStream<String, SpecificRecord> records, Topic<VideoFailed> failed, String source, String name) {
        only(records, VideoFailed.class, name)
                .processValues(CloudEventHeaders.<VideoFailed>writer(source), Named.as(name + "-cloudevent"))
                .to(failed.name(), failed.produced());
    }
}
