package io.animegan.face;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.StorageConfig;
import io.animegan.common.config.Topics;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.stage.ErrorCode;
import io.animegan.common.stage.StageTopology;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.testing.TestAssets;
import io.animegan.events.BlobRef;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageFailed;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.Options;
import io.animegan.events.Trace;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/**
 * ImageSubmitted records written onto the topic by someone who may write there, naming objects the
 * face stage must not read: each becomes an ImageFailed of stage face with FORBIDDEN_KEY, and the
 * stage goes on. The storage is unreachable, so a read would not fail this way (it would retry).
 */
class ForgedInputTest {

    @Test
    void anEventNamingAResultAnotherPicturesUploadOrAnotherBucketFailsWithoutARead() {
        Topics topics = Topics.withPrefix("", 1, (short) 1);
        BlobStore store = new BlobStore(new StorageConfig("http://127.0.0.1:9", "k", "s", "b", "us-east-1"));
        try (OnnxModel detector = OnnxModel.load(
                        TestAssets.requireModel(FaceStageApp.DETECTOR_MODEL), FaceStageApp.DETECTOR_MODEL, 1);
                OnnxModel parser = OnnxModel.load(
                        TestAssets.requireModel(FaceStageApp.PARSER_MODEL), FaceStageApp.PARSER_MODEL, 1)) {
            FaceProcessor stage = new FaceProcessor(store, detector, parser);
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "forged-input-test");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            try (TopologyTestDriver driver = new TopologyTestDriver(
                    StageTopology.build(
                            FaceProcessor.NAME, topics.submitted(), topics.facesDetected(), topics.failed(), stage),
                    props)) {
                TestInputTopic<String, ImageSubmitted> in = driver.createInputTopic(
                        topics.submitted().name(),
                        topics.submitted().keySerde().serializer(),
                        topics.submitted().valueSerde().serializer());
                TestOutputTopic<String, FacesDetected> out = driver.createOutputTopic(
                        topics.facesDetected().name(),
                        topics.facesDetected().keySerde().deserializer(),
                        topics.facesDetected().valueSerde().deserializer());
                TestOutputTopic<String, ImageFailed> failed = driver.createOutputTopic(
                        topics.failed().name(),
                        topics.failed().keySerde().deserializer(),
                        topics.failed().valueSerde().deserializer());

                in.pipeInput("a", submitted("a", new BlobRef("b", "results/a/anime.png")));
                in.pipeInput("b", submitted("b", new BlobRef("b", "inputs/someone-else/original")));
                in.pipeInput("c", submitted("c", new BlobRef("other-bucket", "inputs/c/original")));
                in.pipeInput("d", submitted("d", new BlobRef("b", "inputs/d/../../results/x/anime.png")));

                assertThat(out.isEmpty()).isTrue();
                List<ImageFailed> failures = failed.readValuesToList();
                assertThat(failures).extracting(ImageFailed::getImageId).containsExactly("a", "b", "c", "d");
                assertThat(failures).allSatisfy(f -> {
                    assertThat(f.getStage()).isEqualTo(FaceProcessor.NAME);
                    assertThat(f.getErrorCode()).isEqualTo(ErrorCode.FORBIDDEN_KEY.name());
                    assertThat(f.getMessage()).doesNotContain("other-bucket").doesNotContain("results/");
                });
                assertThat(failures.get(2).getMessage()).contains("bucket");
            }
        }
    }

    private static ImageSubmitted submitted(String id, BlobRef source) {
        return new ImageSubmitted(
                id,
                id + ".jpg",
                source,
                1234L,
                Options.newBuilder().build(),
                new Trace("t", 1L, Map.of()),
                null,
                0,
                "anonymous",
                null,
                null,
                0);
    }
}
