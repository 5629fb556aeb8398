package io.animegan.stylize;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.StorageConfig;
import io.animegan.common.config.Topics;
import io.animegan.common.stage.ErrorCode;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.events.BlobRef;
import io.animegan.events.Face;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageFailed;
import io.animegan.events.ImageStylized;
import io.animegan.events.Options;
import io.animegan.events.Trace;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/**
 * FacesDetected records written onto the topic by someone who may write there, naming a result or
 * another bucket as the picture or a face crop: each becomes an ImageFailed of stage stylize with
 * FORBIDDEN_KEY before anything is read (the storage is unreachable: a read would retry instead).
 */
class ForgedInputTest {

    @Test
    void aSourceOrCropOutsideThePicturesInputsAndWorkFailsWithoutARead() {
        Topics topics = Topics.withPrefix("", 1, (short) 1);
        BlobStore store = new BlobStore(new StorageConfig("http://127.0.0.1:9", "k", "s", "b", "us-east-1"));
        Generators generators = new Generators(StyleCatalogue.builtIn(), Set.of("animeganv2-hayao"), 1, 0);
        try (StylizeProcessor stage = new StylizeProcessor(store, generators)) {
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "forged-input-test");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            try (TopologyTestDriver driver = new TopologyTestDriver(StylizeStageApp.servedOnly(topics, stage), props)) {
                TestInputTopic<String, FacesDetected> in = driver.createInputTopic(
                        topics.facesDetected().name(),
                        topics.facesDetected().keySerde().serializer(),
                        topics.facesDetected().valueSerde().serializer());
                TestOutputTopic<String, ImageStylized> out = driver.createOutputTopic(
                        topics.stylized().name(),
                        topics.stylized().keySerde().deserializer(),
                        topics.stylized().valueSerde().deserializer());
                TestOutputTopic<String, ImageFailed> failed = driver.createOutputTopic(
                        topics.failed().name(),
                        topics.failed().keySerde().deserializer(),
                        topics.failed().valueSerde().deserializer());

                in.pipeInput("a", event("a", new BlobRef("b", "results/a/anime.png"), List.of()));
                in.pipeInput("b", event("b", new BlobRef("elsewhere", "inputs/b/original"), List.of()));
                in.pipeInput(
                        "c",
                        event(
                                "c",
                                new BlobRef("b", "inputs/c/original"),
                                List.of(face(new BlobRef("b", "results/other/anime.png")))));

                assertThat(out.isEmpty()).isTrue();
                List<ImageFailed> failures = failed.readValuesToList();
                assertThat(failures).extracting(ImageFailed::getImageId).containsExactly("a", "b", "c");
                assertThat(failures).allSatisfy(f -> {
                    assertThat(f.getStage()).isEqualTo(StylizeProcessor.NAME);
                    assertThat(f.getErrorCode()).isEqualTo(ErrorCode.FORBIDDEN_KEY.name());
                });
            }
        }
    }

    private static FacesDetected event(String id, BlobRef source, List<Face> faces) {
        return FacesDetected.newBuilder()
                .setImageId(id)
                .setSource(source)
                .setWidth(100)
                .setHeight(100)
                .setOptions(Options.newBuilder()
                        .setStyle("animeganv2-hayao")
                        .setMaxSide(1920)
                        .build())
                .setFaces(faces)
                .setTrace(new Trace("t", 1L, Map.of()))
                .build();
    }

    private static Face face(BlobRef crop) {
        return Face.newBuilder()
                .setIndex(0)
                .setScore(0.9f)
                .setBox(List.of(0f, 0f, 10f, 10f))
                .setLandmarks(Collections.nCopies(10, 1f))
                .setAffine(List.of(1d, 0d, 0d, 0d, 1d, 0d))
                .setCrop(crop)
                .build();
    }
}
