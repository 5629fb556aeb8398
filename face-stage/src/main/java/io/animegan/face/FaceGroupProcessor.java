package io.animegan.face;

import io.animegan.common.stage.StageTopology;
import io.animegan.common.stage.StageTopology.Outcome;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.StoredFaceAnalysis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * face-stage's processor over the pictures keyed by face group: {@link FaceGroups} with the
 * analyses in the {@value FaceStageTopology#ANALYSES} store, each record's work traced and turned
 * into an output or a failure as in every stage. A wall-clock punctuator drops the analyses whose
 * group's last pictures never came (a request that failed half-way through sending).
 */
final class FaceGroupProcessor implements FixedKeyProcessor<String, ImageSubmitted, Outcome<FacesDetected>> {

    /** How long an analysis waits for the rest of its group: the others come right after it. */
    static final Duration ABANDONED_AFTER = Duration.ofHours(1);

    static final Duration SWEEP = Duration.ofMinutes(10);

    private final FaceWork work;
    private final String inputTopic;
    private final String storeName;
    private KeyValueStore<String, StoredFaceAnalysis> store;
    private FixedKeyProcessor<String, ImageSubmitted, Outcome<FacesDetected>> traced;

    FaceGroupProcessor(FaceWork work, String inputTopic, String storeName) {
        this.work = work;
        this.inputTopic = inputTopic;
        this.storeName = storeName;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Outcome<FacesDetected>> context) {
        store = context.getStateStore(storeName);
        FaceGroups groups = new FaceGroups(work, new StoredAnalyses(store));
        traced = StageTopology.traced(
                FaceProcessor.NAME, inputTopic, event -> groups.process(event, context.currentSystemTimeMs()));
        traced.init(context);
        context.schedule(SWEEP, PunctuationType.WALL_CLOCK_TIME, this::dropAbandoned);
    }

    @Override
    public void process(FixedKeyRecord<String, ImageSubmitted> record) {
        traced.process(record);
    }

    private void dropAbandoned(long nowMs) {
        long cutoff = nowMs - ABANDONED_AFTER.toMillis();
        List<String> abandoned = new ArrayList<>();
        try (KeyValueIterator<String, StoredFaceAnalysis> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, StoredFaceAnalysis> entry = it.next();
                if (entry.value.getStoredAtMs() < cutoff) {
                    abandoned.add(entry.key);
                }
            }
        }
        abandoned.forEach(store::delete);
    }

    private record StoredAnalyses(KeyValueStore<String, StoredFaceAnalysis> store) implements FaceGroups.Analyses {

        @Override
        public StoredFaceAnalysis get(String group) {
            return store.get(group);
        }

        @Override
        public void put(String group, StoredFaceAnalysis analysis) {
            store.put(group, analysis);
        }

        @Override
        public void delete(String group) {
            store.delete(group);
        }
    }
}
