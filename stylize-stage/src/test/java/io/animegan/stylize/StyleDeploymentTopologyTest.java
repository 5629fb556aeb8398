package io.animegan.stylize;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.StorageConfig;
import io.animegan.common.config.Topics;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.events.BlobRef;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageFailed;
import io.animegan.events.ImageStylized;
import io.animegan.events.Options;
import io.animegan.events.Trace;
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
 * A stylize-stage limited with --styles reads the shared faces topic and leaves the other styles'
 * records alone. Only refusals are exercised (they fail before any model or storage is touched).
 */
class StyleDeploymentTopologyTest {

    @Test
    void aDeploymentTakesOnlyTheRecordsOfItsStyles() {
        Topics topics = Topics.withPrefix("", 1, (short) 1);
        // Unreachable storage: a record this deployment took would fail on it, never silently pass.
        BlobStore store = new BlobStore(new StorageConfig("http://127.0.0.1:9", "k", "s", "b", "us-east-1"));
        StyleCatalogue catalogue = StyleCatalogue.builtIn();
        Generators defaultsDeployment = new Generators(catalogue, Set.of("animeganv2-hayao", "whitebox-cartoon"), 1, 0);
        try (StylizeProcessor stage = new StylizeProcessor(store, defaultsDeployment)) {
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, StylizeStageApp.applicationId(stage.served()));
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

                in.pipeInput("cute", event("cute", "animeganv3-cute-tiny", 1920));
                in.pipeInput("shinkai", event("shinkai", "animeganv3-shinkai", 1920));
                in.pipeInput("unknown", event("unknown", "vangogh", 1920));
                in.pipeInput("too-small", event("too-small", "whitebox-cartoon", 10));

                assertThat(out.isEmpty()).isTrue();
                List<ImageFailed> failures = failed.readValuesToList();
                assertThat(failures).extracting(ImageFailed::getImageId).containsExactly("unknown", "too-small");
                assertThat(failures.get(0).getErrorCode()).isEqualTo("INVALID_OPTIONS");
                assertThat(failures.get(0).getMessage()).contains("vangogh");
            }
        }
    }

    private static FacesDetected event(String id, String style, int maxSide) {
        return FacesDetected.newBuilder()
                .setImageId(id)
                .setSource(new BlobRef("b", "inputs/" + id + "/original"))
                .setWidth(100)
                .setHeight(100)
                .setOptions(
                        Options.newBuilder().setStyle(style).setMaxSide(maxSide).build())
                .setFaces(List.of())
                .setTrace(new Trace("t", 1L, Map.of()))
                .build();
    }
}
