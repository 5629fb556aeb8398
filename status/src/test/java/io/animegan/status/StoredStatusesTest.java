package io.animegan.status;

import static io.animegan.status.TestEvents.SUBMITTED_AT;
import static io.animegan.status.TestEvents.completed;
import static io.animegan.status.TestEvents.facesDetected;
import static io.animegan.status.TestEvents.failed;
import static io.animegan.status.TestEvents.ref;
import static io.animegan.status.TestEvents.stylized;
import static io.animegan.status.TestEvents.submitted;
import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.events.StoredImageStatus;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The typed (Avro) stored form of a status holds exactly what the JSON form holds. */
class StoredStatusesTest {

    private static ImageStatus fold(ImageStatus s, List<Object> events, long timestampMs) {
        for (Object event : events) {
            s = StatusFold.apply(s, event, timestampMs);
        }
        return s;
    }

    private static ImageStatus done() {
        return fold(
                        ImageStatus.unknown("a"),
                        List.of(
                                submitted("a", "cat.jpg"),
                                facesDetected("a", 2, 4000, 3000),
                                stylized("a", 2, 1920, 1440),
                                completed("a", ref("results/a/anime.png"), "image/png", 2, 1920, 1440)),
                        SUBMITTED_AT)
                .inJob("job-1")
                .ofTenant("acme", 1234L)
                .updatedAt(SUBMITTED_AT + 50);
    }

    @Test
    void aFoldedStatusRoundTripsEqual() {
        ImageStatus done = done();
        assertThat(done.faceDetails()).isNotEmpty();
        assertThat(StoredStatuses.read(StoredStatuses.write(done))).isEqualTo(done);

        ImageStatus failed = fold(
                ImageStatus.unknown("d"),
                List.of(submitted("d", "x.jpg"), failed("d", "stylize", "MODEL_ERROR", "generator crashed")),
                SUBMITTED_AT);
        assertThat(StoredStatuses.read(StoredStatuses.write(failed))).isEqualTo(failed);
    }

    @Test
    void aWebhookDeliveryRoundTripsAndStatusesStoredBeforeWebhooksReadWithoutOne() throws Exception {
        ImageStatus delivered = done().toBuilder()
                .callback("delivered")
                .callbackAttempts(4)
                .callbackLastStatus(200)
                .build();
        assertThat(StoredStatuses.read(StoredStatuses.write(delivered))).isEqualTo(delivered);

        // The same status as the v1 schema (before webhooks) wrote it to the store and its changelog.
        org.apache.avro.Schema v1 = new org.apache.avro.Schema.Parser()
                .parse(StoredStatusesTest.class.getResourceAsStream(
                        "/io/animegan/events/history/StoredImageStatus-v1.avsc"));
        assertThat(v1.getField("callback")).isNull();
        var asV1 = new org.apache.avro.message.BinaryMessageDecoder<org.apache.avro.generic.GenericRecord>(
                org.apache.avro.generic.GenericData.get(), v1);
        asV1.addSchema(StoredImageStatus.getClassSchema());
        var v1Record = asV1.decode(StoredStatuses.write(delivered));
        java.nio.ByteBuffer v1Bytes = new org.apache.avro.message.BinaryMessageEncoder<
                        org.apache.avro.generic.GenericRecord>(org.apache.avro.generic.GenericData.get(), v1)
                .encode(v1Record);
        byte[] bytes = new byte[v1Bytes.remaining()];
        v1Bytes.get(bytes);
        assertThat(StoredStatuses.readAny(bytes)).isEqualTo(done());
    }

    @Test
    void aStatusOfNothingYetRoundTripsEqual() {
        ImageStatus unknown = ImageStatus.unknown("u");
        assertThat(StoredStatuses.read(StoredStatuses.write(unknown))).isEqualTo(unknown);
    }

    @Test
    void theSchemaHasOneFieldPerComponentAndDefaultsForAllButTheId() {
        Schema schema = StoredImageStatus.getClassSchema();
        assertThat(schema.getFields())
                .extracting(Schema.Field::name)
                .containsExactlyElementsOf(Arrays.stream(ImageStatus.class.getRecordComponents())
                        .map(RecordComponent::getName)
                        .toList());
        assertThat(schema.getFields())
                .filteredOn(f -> !f.hasDefaultValue())
                .extracting(Schema.Field::name)
                .containsExactly("id");
    }

    @Test
    void theStoreWritesTheAvroFormAndReadsTheJsonOfEarlierVersions() {
        ImageStatus done = done();
        byte[] written = StatusChange.serde().serializer().serialize("t", StatusChange.stored(done));
        assertThat(StoredStatuses.isAvro(written)).isTrue();
        assertThat(StatusChange.serde().deserializer().deserialize("t", written))
                .isEqualTo(StatusChange.stored(done));
        assertThat(StatusChange.serde().deserializer().deserialize("t", null)).isNull();
        assertThat(StoredStatuses.readAny(written)).isEqualTo(done);
        assertThat(StoredStatuses.readAny(LegacyJsonTest.STATUS_V1.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(LegacyJsonTest.statusV1());
    }
}
