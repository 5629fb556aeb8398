package io.animegan.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.common.config.Topic;
import io.animegan.common.config.Topics;
import io.animegan.common.stage.ErrorCode;
import io.animegan.common.stage.StageException;
import io.animegan.common.stage.StageTopology;
import io.animegan.events.BlobRef;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.Options;
import io.animegan.events.Trace;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/** The stage topology counts and times what it does with each record in the JVM's registry. */
class StageMetricsTest {

    private final MeterRegistry registry = AnimeganMetrics.registry();

    @Test
    void theTopologyCountsOutputsAndFailuresByCodeAndTimesEveryRecord() {
        String stage = "metrics-topology";
        Topics topics = Topics.withPrefix("", 1, (short) 1);
        var topology = StageTopology.build(
                stage, topics.submitted(), topics.facesDetected(), topics.failed(), StageMetricsTest::process);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            Topic<ImageSubmitted> submitted = topics.submitted();
            TestInputTopic<String, ImageSubmitted> in = driver.createInputTopic(
                    submitted.name(),
                    submitted.keySerde().serializer(),
                    submitted.valueSerde().serializer());
            in.pipeInput("a", submitted("a", 512));
            in.pipeInput("b", submitted("b", 513));
            in.pipeInput("c", submitted("c", 256));
        }

        assertThat(registry.get(StageMetrics.PROCESSED)
                        .tag("stage", stage)
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get(StageMetrics.FAILED)
                        .tags("stage", stage, "error_code", "CORRUPT_IMAGE")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get(StageMetrics.PROCESSING)
                        .tags("stage", stage, "outcome", "processed")
                        .timer()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get(StageMetrics.IN_FLIGHT)
                        .tag("stage", stage)
                        .gauge()
                        .value())
                .isZero();

        String scraped = AnimeganMetrics.scrape();
        assertThat(scraped)
                .contains("animegan_stage_records_processed_total{application=\"animegan-stream\",stage=\"" + stage
                        + "\"} 2.0")
                .contains(
                        "animegan_stage_records_failed_total{application=\"animegan-stream\",error_code=\"CORRUPT_IMAGE\",stage=\""
                                + stage + "\"} 1.0")
                .contains("animegan_stage_processing_seconds_bucket{")
                .contains("animegan_stage_in_flight{");
    }

    @Test
    void aRecordIsInFlightWhileItRunsAndAnExceptionCountsAsRetried() {
        StageMetrics metrics = StageMetrics.of("metrics-direct");
        double during = metrics.record(
                () -> registry.get(StageMetrics.IN_FLIGHT)
                        .tag("stage", "metrics-direct")
                        .gauge()
                        .value(),
                result -> null);
        assertThat(during).isEqualTo(1);

        assertThatThrownBy(() -> metrics.record(
                        () -> {
                            throw new IllegalStateException("broker away");
                        },
                        result -> null))
                .isInstanceOf(IllegalStateException.class);
        assertThat(registry.get(StageMetrics.RETRIED)
                        .tags("stage", "metrics-direct", "exception", "IllegalStateException")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get(StageMetrics.IN_FLIGHT)
                        .tag("stage", "metrics-direct")
                        .gauge()
                        .value())
                .isZero();
    }

    @Test
    void everySeriesIsPrefixedAndResidentMemoryIsMeasured() {
        String scraped = AnimeganMetrics.scrape();
        List<String> names = scraped.lines()
                .filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split("[{ ]")[0])
                .distinct()
                .toList();
        assertThat(names).isNotEmpty().allMatch(name -> name.startsWith("animegan_"));
        assertThat(names)
                .contains(
                        "animegan_jvm_memory_used_bytes",
                        "animegan_jvm_threads_live_threads",
                        "animegan_process_resident_memory_bytes");
        assertThat(ResidentMemory.readBytes("VmRSS:")).isGreaterThan(10e6);
    }

    private static ImageSubmitted submitted(String id, int maxSide) {
        return ImageSubmitted.newBuilder()
                .setImageId(id)
                .setName("a.jpg")
                .setSource(new BlobRef("b", "inputs/" + id))
                .setSizeBytes(1)
                .setOptions(Options.newBuilder().setMaxSide(maxSide).build())
                .setTrace(new Trace("t-" + id, 1L, Map.of()))
                .build();
    }

    private static FacesDetected process(ImageSubmitted event) {
        if (event.getOptions().getMaxSide() % 2 == 1) {
            throw new StageException(ErrorCode.CORRUPT_IMAGE, "odd picture");
        }
        return FacesDetected.newBuilder()
                .setImageId(event.getImageId())
                .setSource(event.getSource())
                .setWidth(10)
                .setHeight(20)
                .setOptions(event.getOptions())
                .setFaces(List.of())
                .setTrace(event.getTrace())
                .build();
    }
}
