package io.animegan.face;

import io.animegan.common.config.Topic;
import io.animegan.common.config.Topics;
import io.animegan.common.stage.StageTopology;
import io.animegan.common.stage.StageTopology.Outcome;
import io.animegan.events.EventSerdes;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageSubmitted;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * face-stage's topology: the submitted pictures keyed by their face group ({@link FaceGroups#group})
 * through one internal repartition topic, so all styles of one upload reach one task one after the
 * other; {@link FaceGroupProcessor} analyses each group once; the outcomes go on keyed by image id
 * again, to the faces topic or the failed one. Exactly-once keeps the analyses store, the offsets
 * and the outputs together through a crash.
 */
final class FaceStageTopology {

    private FaceStageTopology() {}

    static Topology build(Topics topics, FaceWork work) {
        Topic<ImageSubmitted> input = topics.submitted();
        String stage = FaceProcessor.NAME;
        String analyses = analyses(topics);
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(analyses), Serdes.String(), EventSerdes.storedFaceAnalysis()));
        KStream<String, Outcome<FacesDetected>> outcomes = builder.stream(
                        input.name(), input.consumed().withName(stage + "-source"))
                .selectKey((id, event) -> FaceGroups.group(event), Named.as(stage + "-by-group"))
                .repartition(
                        Repartitioned.with(input.keySerde(), input.valueSerde()).withName(groups(topics)))
                .processValues(
                        () -> new FaceGroupProcessor(work, input.name(), analyses),
                        Named.as(stage + "-process"),
                        analyses)
                .selectKey((group, outcome) -> imageId(outcome), Named.as(stage + "-by-image"));
        StageTopology.write(stage, outcomes, topics.facesDetected(), topics.failed());
        return builder.build();
    }

    /** The state store of the analyses waiting for the rest of their group. */
    static String analyses(Topics topics) {
        return scoped(topics, "face-analyses");
    }

    /** The repartition topic's name inside the application ({@code <application id>-<name>-repartition}). */
    static String groups(Topics topics) {
        return scoped(topics, "face-groups");
    }

    /**
     * {@code name} within the topics' namespace: pipelines with other topic prefixes on one cluster
     * run the same application id, and their internal topics (sized like their own input) and
     * stores must never be shared.
     */
    private static String scoped(Topics topics, String name) {
        String submitted = topics.submitted().name();
        String prefix = submitted.substring(0, submitted.lastIndexOf("submitted"));
        return prefix.replaceAll("[^A-Za-z0-9_-]+", "-") + name;
    }

    private static String imageId(Outcome<FacesDetected> outcome) {
        return outcome.output() != null
                ? outcome.output().getImageId()
                : outcome.failure().getImageId();
    }
}
