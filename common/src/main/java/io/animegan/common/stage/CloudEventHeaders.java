package io.animegan.common.stage;

import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageFailed;
import io.animegan.events.JobCompleted;
import io.animegan.events.VideoCompleted;
import io.animegan.events.VideoFailed;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventSerializer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * CloudEvents binary-mode headers on the records of the completed, failed and jobs-completed topics,
 * so a consumer can route them by {@code ce_type} without decoding the Avro value. The event is built
 * with the CloudEvents SDK and its attributes are written into the record's own headers by the SDK's
 * Kafka binary-mode serializer; the value stays the Avro event the topic's serde writes.
 *
 * <p>{@code ce_id} is derived from the subject (image or job id) and the type, and {@code ce_time}
 * is the record's timestamp, so a record written again after a task is reprocessed carries the same
 * event. Headers of other names ({@code traceparent}, {@code baggage}) are left as they are.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "1.0";
    /** Avro single-object encoding: marker C3 01, the writer schema's 64-bit fingerprint, the binary datum. */
    public static final String CONTENT_TYPE = "application/avro";

    public static final String CONTENT_TYPE_HEADER = "content-type";
    /** Every header this class writes, each replaced rather than added to. */
    public static final List<String> HEADERS =
            List.of("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject", CONTENT_TYPE_HEADER);

    private static final CloudEventSerializer BINARY = binarySerializer();

    private CloudEventHeaders() {}

    /** The event types, one per topic that carries CloudEvents headers. */
    public enum Type {
        IMAGE_COMPLETED("io.animegan.image.completed"),
        IMAGE_FAILED("io.animegan.image.failed"),
        JOB_COMPLETED("io.animegan.job.completed"),
        VIDEO_COMPLETED("io.animegan.video.completed"),
        VIDEO_FAILED("io.animegan.video.failed");

        private final String value;

        Type(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        /** The type of an event value with CloudEvents headers, and its subject; empty for other events. */
        static Optional<Subject> of(Object event) {
            if (event instanceof ImageCompleted completed) {
                return Optional.of(new Subject(IMAGE_COMPLETED, completed.getImageId()));
            }
            if (event instanceof ImageFailed failed) {
                return Optional.of(new Subject(IMAGE_FAILED, failed.getImageId()));
            }
            if (event instanceof JobCompleted job) {
                return Optional.of(new Subject(JOB_COMPLETED, job.getJobId()));
            }
            if (event instanceof VideoCompleted completed) {
                return Optional.of(new Subject(VIDEO_COMPLETED, completed.getVideoId()));
            }
            if (event instanceof VideoFailed failed) {
                return Optional.of(new Subject(VIDEO_FAILED, failed.getVideoId()));
            }
            return Optional.empty();
        }
    }

    /** What an event is about: its type and the image, job or video id. */
    record Subject(Type type, String id) {}

    /**
     * A processor that writes the headers on every completed, failed or job-completed value passing
     * through. Other values lose the CloudEvents headers they inherited from the record they were
     * derived from (a job's progress from a completion), which describe another event.
     *
     * @param source the {@code ce_source}: the application writing the records, e.g. {@code /animegan/blend-stage}
     */
    public static <V> FixedKeyProcessorSupplier<String, V, V> writer(String source) {
        URI uri = URI.create(source);
        return () -> new ContextualFixedKeyProcessor<>() {
            @Override
            public void process(FixedKeyRecord<String, V> record) {
                Type.of(record.value())
                        .ifPresentOrElse(
                                subject -> write(record.headers(), uri, subject, record.timestamp()),
                                () -> HEADERS.forEach(record.headers()::remove));
                context().forward(record);
            }
        };
    }

    /** Replaces the record's CloudEvents headers with those of the event about {@code subject}. */
    static void write(Headers headers, URI source, Subject subject, long timestampMs) {
        HEADERS.forEach(headers::remove);
        CloudEvent event = CloudEventBuilder.v1()
                .withId(id(subject))
                .withSource(source)
                .withType(subject.type().value())
                .withSubject(subject.id())
                .withTime(Instant.ofEpochMilli(timestampMs).atOffset(ZoneOffset.UTC))
                .withDataContentType(CONTENT_TYPE)
                .build();
        // No data on the event: the serializer writes only the attributes, the value is the topic serde's.
        BINARY.serialize(null, headers, event);
    }

    /** Stable per logical event: the same image or job and type always give the same id. */
    static String id(Subject subject) {
        return UUID.nameUUIDFromBytes((subject.type().value() + "/" + subject.id()).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static CloudEventSerializer binarySerializer() {
        CloudEventSerializer serializer = new CloudEventSerializer();
        serializer.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, "BINARY"), false);
        return serializer;
    }
}
