package io.animegan.blend;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.StorageConfig;
import io.animegan.common.config.Topics;
import io.animegan.common.stage.ErrorCode;
import io.animegan.common.stage.StageTopology;
import io.animegan.common.storage.BlobStore;
import io.animegan.events.BlobRef;
import io.animegan.events.Face;
import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageFailed;
import io.animegan.events.ImageStylized;
import io.animegan.events.Options;
import io.animegan.events.Trace;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/**
 * ImageStylized records written onto the topic by someone who may write there, naming as the
 * stylized picture, a face's crop, parsing or stylized crop an object the blend stage must not
 * read: each becomes an ImageFailed of stage blend with FORBIDDEN_KEY, and the stage goes on. The
 * storage is unreachable, so a read would not fail this way (it would retry).
 */
class ForgedInputTest {

    private static final String BUCKET = "b";

    @Test
    void aPictureOrFaceObjectOutsideThePicturesInputsAndWorkFailsWithoutARead() {
        Topics topics = Topics.withPrefix("", 1, (short) 1);
        BlobStore store = new BlobStore(new StorageConfig("http://127.0.0.1:9", "k", "s", BUCKET, "us-east-1"));
        BlendProcessor stage = new BlendProcessor(store, new FaceBlender());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "forged-input-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(
                StageTopology.build(BlendProcessor.NAME, topics.stylized(), topics.completed(), topics.failed(), stage),
                props)) {
            TestInputTopic<String, ImageStylized> in = driver.createInputTopic(
                    topics.stylized().name(),
                    topics.stylized().keySerde().serializer(),
                    topics.stylized().valueSerde().serializer());
            TestOutputTopic<String, ImageCompleted> out = driver.createOutputTopic(
                    topics.completed().name(),
                    topics.completed().keySerde().deserializer(),
                    topics.completed().valueSerde().deserializer());
            TestOutputTopic<String, ImageFailed> failed = driver.createOutputTopic(
                    topics.failed().name(),
                    topics.failed().keySerde().deserializer(),
                    topics.failed().valueSerde().deserializer());

            // Without faces blend would pass the stylized picture on as the result: the one to forge.
            in.pipeInput("a", event("a", ref("results/other/anime.png"), List.of()));
            in.pipeInput("b", event("b", new BlobRef("other-bucket", "work/b/stylized.png"), List.of()));
            in.pipeInput("c", event("c", ref("inputs/someone-else/original"), List.of()));
            in.pipeInput(
                    "d",
                    event("d", ref("work/d/stylized.png"), List.of(face(ref("inputs/other/original"), null, null))));
            in.pipeInput(
                    "e",
                    event(
                            "e",
                            ref("work/e/stylized.png"),
                            List.of(face(ref("work/e/faces/0/crop.png"), ref("work/e/../x/parsing.png"), null))));
            in.pipeInput(
                    "f",
                    event(
                            "f",
                            ref("work/f/stylized.png"),
                            List.of(face(ref("work/f/faces/0/crop.png"), null, ref("results/f/anime.png")))));

            assertThat(out.isEmpty()).isTrue();
            List<ImageFailed> failures = failed.readValuesToList();
            assertThat(failures).extracting(ImageFailed::getImageId).containsExactly("a", "b", "c", "d", "e", "f");
            assertThat(failures).allSatisfy(f -> {
                assertThat(f.getStage()).isEqualTo(BlendProcessor.NAME);
                assertThat(f.getErrorCode()).isEqualTo(ErrorCode.FORBIDDEN_KEY.name());
                assertThat(f.getMessage()).doesNotContain("other-bucket").doesNotContain("results/");
            });
            assertThat(failures.get(1).getMessage()).contains("bucket");
        }
    }

    private static BlobRef ref(String key) {
        return new BlobRef(BUCKET, key);
    }

    private static ImageStylized event(String id, BlobRef stylized, List<Face> faces) {
        return ImageStylized.newBuilder()
                .setImageId(id)
                .setSource(ref("inputs/" + id + "/original"))
                .setWidth(100)
                .setHeight(100)
                .setOptions(Options.newBuilder()
                        .setStyle("animeganv2-hayao")
                        .setMaxSide(1920)
                        .build())
                .setStylized(stylized)
                .setFaces(faces)
                .setTrace(new Trace("t", 1L, Map.of()))
                .build();
    }

    private static Face face(BlobRef crop, BlobRef parsing, BlobRef stylizedCrop) {
        return Face.newBuilder()
                .setIndex(0)
                .setScore(0.9f)
                .setBox(List.of(0f, 0f, 10f, 10f))
                .setLandmarks(Collections.nCopies(10, 1f))
                .setAffine(List.of(1d, 0d, 0d, 0d, 1d, 0d))
                .setCrop(crop)
                .setParsing(parsing)
                .setStylized(stylizedCrop)
                .build();
    }
}
