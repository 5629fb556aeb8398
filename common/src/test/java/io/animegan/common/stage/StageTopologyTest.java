package io.animegan.common.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.Topic;
import io.animegan.common.config.Topics;
import io.animegan.common.storage.StorageException;
import io.animegan.common.trace.LogContext;
import io.animegan.common.trace.TraceContext;
import io.animegan.common.trace.TraceHeaders;
import io.animegan.events.BlobRef;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageFailed;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.Options;
import io.animegan.events.Trace;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

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
  void eachOutputCarriesThePicturesTraceWithThisStagesSpanAndTheIdsAreLoggedMeanwhile() {
    Map<String, Map<String, String>> logContexts = new HashMap<>();
    StageProcessor<ImageSubmitted, FacesDetected> recording = event -> {
      logContexts.put(event.getImageId(), MDC.getCopyOfContextMap());
      return process(event);
    };
    Topics topics = Topics.withPrefix("", 1, (short) 1);
    var topology = StageTopology.build("face", topics.submitted(), topics.facesDetected(), topics.failed(), recording);
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, properties())) {
      TestInputTopic<String, ImageSubmitted> in = input(driver, topics.submitted());
      TraceContext ingest = TraceContext.root();
      in.pipeInput(new TestRecord<>("a", submitted("a", 512), TraceHeaders.of(ingest, "job-1"), (Instant) null));
      in.pipeInput(new TestRecord<>("b", submitted("b", 511), TraceHeaders.of(ingest.child(), null), (Instant) null));

      TestRecord<String, FacesDetected> ok = output(driver, topics.facesDetected()).readRecord();
      TraceContext face = TraceHeaders.parent(ok.headers(), null);
      assertThat(face.traceId()).isEqualTo(ingest.traceId());
      assertThat(face.spanId()).as("this stage's own span").isNotEqualTo(ingest.spanId());
      assertThat(ok.headers().headers(TraceContext.HEADER)).hasSize(1);
      assertThat(TraceHeaders.jobId(ok.headers())).as("the job travels on to the next stages").contains("job-1");
      assertThat(logContexts.get("a")).containsEntry(LogContext.IMAGE_ID, "a").containsEntry(LogContext.JOB_ID, "job-1")
          .containsEntry(LogContext.TRACE_ID, ingest.traceId()).containsEntry(LogContext.SPAN_ID, face.spanId());

      TestRecord<String, ImageFailed> failed = output(driver, topics.failed()).readRecord();
      assertThat(TraceHeaders.parent(failed.headers(), null).traceId()).isEqualTo(ingest.traceId());
      assertThat(logContexts.get("b")).as("nothing left over from the record before")
          .containsEntry(LogContext.IMAGE_ID, "b").doesNotContainKey(LogContext.JOB_ID);
      assertThat(MDC.getCopyOfContextMap()).as("cleared after each record").isNullOrEmpty();
    }
  }

  @Test
  void aRecordWithoutAUsableHeaderStartsATraceInsteadOfFailing() {
    Topics topics = Topics.withPrefix("", 1, (short) 1);
    var topology = StageTopology.build("face", topics.submitted(), topics.facesDetected(), topics.failed(),
        StageTopologyTest::process);
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, properties())) {
      var headers = new RecordHeaders().add(TraceContext.HEADER, "00-broken".getBytes(StandardCharsets.UTF_8));
      input(driver, topics.submitted()).pipeInput(new TestRecord<>("a", submitted("a", 512), headers, (Instant) null));
      TestRecord<String, FacesDetected> ok = output(driver, topics.facesDetected()).readRecord();
      assertThat(TraceHeaders.parent(ok.headers(), null).traceId()).matches("[0-9a-f]{32}");
    }
  }

  private static Properties properties() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    return props;
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
