package io.animegan.common.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.Topic;
import io.animegan.common.config.Topics;
import io.animegan.common.storage.StorageException;
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

/** The shared stage topology, driven by Kafka Streams' own test driver with a real processor. */
class StageTopologyTest {

  private static ImageSubmitted submitted(String id, int maxSide) {
    return ImageSubmitted.newBuilder()
        .setImageId(id).setName("a.jpg").setSource(new BlobRef("b", "inputs/" + id)).setSizeBytes(1)
        .setOptions(Options.newBuilder().setMaxSide(maxSide).build())
        .setTrace(new Trace("t-" + id, 1L, Map.of("ingest", 5L)))
        .build();
  }

  /** Fails pictures whose maxSide is odd, as a real stage fails pictures it cannot read. */
  private static FacesDetected process(ImageSubmitted event) {
    if (event.getOptions().getMaxSide() % 2 == 1) {
      throw new StageException(ErrorCode.CORRUPT_IMAGE, "odd picture");
    }
    return FacesDetected.newBuilder()
        .setImageId(event.getImageId()).setSource(event.getSource()).setWidth(10).setHeight(20)
        .setOptions(event.getOptions()).setFaces(List.of())
        .setTrace(Traces.withStage(event.getTrace(), "face", 7))
        .build();
  }

  @Test
  void goodPicturesGoOnAndBadOnesBecomeFailureEventsWithoutStoppingTheStage() {
    Topics topics = Topics.withPrefix("", 1, (short) 1);
    var topology = StageTopology.build("face", topics.submitted(), topics.facesDetected(), topics.failed(),
        StageTopologyTest::process);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
      TestInputTopic<String, ImageSubmitted> in = input(driver, topics.submitted());
      TestOutputTopic<String, FacesDetected> out = output(driver, topics.facesDetected());
      TestOutputTopic<String, ImageFailed> failed = output(driver, topics.failed());

      in.pipeInput("a", submitted("a", 1920));
      in.pipeInput("b", submitted("b", 1921));
      in.pipeInput("c", submitted("c", 512));

      var ok = out.readKeyValuesToList();
      assertThat(ok).extracting(kv -> kv.key).containsExactly("a", "c");
      assertThat(ok.get(0).value.getTrace().getStageMs()).containsEntry("ingest", 5L).containsEntry("face", 7L);
      ImageFailed failure = failed.readValue();
      assertThat(failure.getImageId()).isEqualTo("b");
      assertThat(failure.getStage()).isEqualTo("face");
      assertThat(failure.getErrorCode()).isEqualTo("CORRUPT_IMAGE");
      assertThat(failure.getMessage()).isEqualTo("odd picture");
      assertThat(failure.getTrace().getTraceId()).isEqualTo("t-b");
      assertThat(failed.isEmpty()).isTrue();
    }
  }

  @Test
  void unexpectedErrorsFailThePictureButStorageOutagesAreRetried() {
    StageProcessor<ImageSubmitted, FacesDetected> buggy = e -> {
      throw new IllegalStateException("bug");
    };
    var outcome = StageTopology.run("blend", buggy, submitted("x", 8));
    assertThat(outcome.failure().getErrorCode()).isEqualTo("INTERNAL_ERROR");
    assertThat(outcome.failure().getMessage()).contains("bug");

    StageProcessor<ImageSubmitted, FacesDetected> storageDown = e -> {
      throw new StorageException("storage: cannot get", null);
    };
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> StageTopology.run("blend", storageDown, submitted("y", 8)))
        .isInstanceOf(StorageException.class);
  }

  private static <V> TestInputTopic<String, V> input(TopologyTestDriver driver, Topic<V> topic) {
    return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
  }

  private static <V> TestOutputTopic<String, V> output(TopologyTestDriver driver, Topic<V> topic) {
    return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
  }
}
