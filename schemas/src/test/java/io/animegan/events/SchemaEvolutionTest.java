package io.animegan.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class SchemaEvolutionTest {

    private final EventSerde<ImageSubmitted> serde = EventSerdes.imageSubmitted();

    @Test
    void readerOnV2ReadsAnEventWrittenWithV1() throws Exception {
        Schema v1 = EventSerde.loadSchema("ImageSubmitted-v1.avsc");
        assertThat(v1.getField("options").schema().getField("debug"))
                .as("v1 has no debug field")
                .isNull();
        assertThat(ImageSubmitted.getClassSchema().getField("options").schema().getField("debug"))
                .isNotNull();

        byte[] v1Bytes = toBytes(new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(v1Event(v1)));
        ImageSubmitted read = serde.deserialize("any", v1Bytes);

        assertThat(read.getImageId()).isEqualTo("img-1");
        assertThat(read.getName()).isEqualTo("holiday.jpg");
        assertThat(read.getSource().getKey()).isEqualTo("inputs/img-1");
        assertThat(read.getOptions().getMaxSide()).isEqualTo(1280);
        assertThat(read.getOptions().getFormat()).isEqualTo("jpeg");
        assertThat(read.getOptions().getDebug())
                .as("v2 field takes its default")
                .isFalse();
        assertThat(read.getTrace().getStageMs()).containsEntry("ingest", 12L);
    }

    @Test
    void submissionsWrittenBeforeJobsBelongToNoJob() throws Exception {
        Schema v2 = EventSerde.loadSchema("ImageSubmitted-v2.avsc");
        assertThat(v2.getField("jobId")).as("v2 has no job").isNull();
        ImageSubmitted current = currentEvent();
        current.setJobId("job-9");
        current.setJobSize(4);

        BinaryMessageDecoder<GenericRecord> asV2 = new BinaryMessageDecoder<>(GenericData.get(), v2);
        asV2.addSchema(ImageSubmitted.getClassSchema());
        GenericRecord v2Event = asV2.decode(serde.serialize("t", current));
        ImageSubmitted read = serde.deserialize("t", toBytes(encode(v2, v2Event)));

        assertThat(read.getJobId()).as("v3 field takes its default").isNull();
        assertThat(read.getJobSize()).isZero();
        assertThat(read.getImageId()).isEqualTo("img-2");
        assertThat(serde.deserialize("t", serde.serialize("t", current)).getJobId())
                .isEqualTo("job-9");
    }

    @Test
    void submissionsWrittenBeforeTenantsBelongToTheAnonymousTenant() throws Exception {
        Schema v4 = EventSerde.loadSchema("ImageSubmitted-v4.avsc");
        assertThat(v4.getField("tenant")).as("v4 has no tenant").isNull();
        ImageSubmitted current = currentEvent();
        current.setTenant("acme");
        current.setJobId("job-7");

        BinaryMessageDecoder<GenericRecord> asV4 = new BinaryMessageDecoder<>(GenericData.get(), v4);
        asV4.addSchema(ImageSubmitted.getClassSchema());
        GenericRecord v4Event = asV4.decode(serde.serialize("t", current));
        ImageSubmitted read = serde.deserialize("t", toBytes(encode(v4, v4Event)));

        assertThat(read.getTenant()).as("v5 field takes its default").isEqualTo("anonymous");
        assertThat(read.getJobId()).isEqualTo("job-7");
        assertThat(serde.deserialize("t", serde.serialize("t", current)).getTenant())
                .isEqualTo("acme");
        assertThat(currentEvent().getTenant())
                .as("a builder that names no tenant")
                .isEqualTo("anonymous");
    }

    @Test
    void submissionsWrittenBeforeWebhooksAskForNoCallback() throws Exception {
        Schema v5 = EventSerde.loadSchema("ImageSubmitted-v5.avsc");
        assertThat(v5.getField("callbackUrl")).as("v5 has no callback").isNull();
        ImageSubmitted current = currentEvent();
        current.setTenant("acme");
        current.setCallbackUrl("https://hooks.example.org/animegan");

        BinaryMessageDecoder<GenericRecord> asV5 = new BinaryMessageDecoder<>(GenericData.get(), v5);
        asV5.addSchema(ImageSubmitted.getClassSchema());
        GenericRecord v5Event = asV5.decode(serde.serialize("t", current));
        ImageSubmitted read = serde.deserialize("t", toBytes(encode(v5, v5Event)));

        assertThat(read.getCallbackUrl()).as("v6 field takes its default").isNull();
        assertThat(read.getTenant()).isEqualTo("acme");
        assertThat(serde.deserialize("t", serde.serialize("t", current)).getCallbackUrl())
                .isEqualTo("https://hooks.example.org/animegan");
        assertThat(currentEvent().getCallbackUrl())
                .as("a builder that names no callback")
                .isNull();
    }

    @Test
    void submissionsWrittenBeforeFaceGroupsAreAnalysedAlone() throws Exception {
        Schema v6 = EventSerde.loadSchema("ImageSubmitted-v6.avsc");
        assertThat(v6.getField("faceGroup")).as("v6 has no face group").isNull();
        ImageSubmitted current = currentEvent();
        current.setCallbackUrl("https://hooks.example.org/animegan");
        current.setFaceGroup("img-1");
        current.setFaceGroupSize(3);

        BinaryMessageDecoder<GenericRecord> asV6 = new BinaryMessageDecoder<>(GenericData.get(), v6);
        asV6.addSchema(ImageSubmitted.getClassSchema());
        GenericRecord v6Event = asV6.decode(serde.serialize("t", current));
        ImageSubmitted read = serde.deserialize("t", toBytes(encode(v6, v6Event)));

        assertThat(read.getFaceGroup()).as("v7 field takes its default").isNull();
        assertThat(read.getFaceGroupSize()).isZero();
        assertThat(read.getCallbackUrl()).isEqualTo("https://hooks.example.org/animegan");
        ImageSubmitted again = serde.deserialize("t", serde.serialize("t", current));
        assertThat(again.getFaceGroup()).isEqualTo("img-1");
        assertThat(again.getFaceGroupSize()).isEqualTo(3);
        assertThat(currentEvent().getFaceGroup())
                .as("a builder that names no group")
                .isNull();
    }

    @Test
    void jobProgressWrittenBeforeTenantsNamesNoTenant() throws Exception {
        Schema v1 = EventSerde.loadSchema("JobProgress-v1.avsc");
        assertThat(v1.getField("tenant")).isNull();
        EventSerde<JobProgress> progress = EventSerdes.jobProgress();
        JobProgress current = new JobProgress("job-1", "img-1", 3, "pending", 5L, "acme", false);

        BinaryMessageDecoder<GenericRecord> asV1 = new BinaryMessageDecoder<>(GenericData.get(), v1);
        asV1.addSchema(JobProgress.getClassSchema());
        GenericRecord v1Event = asV1.decode(progress.serialize("t", current));
        JobProgress read = progress.deserialize("t", toBytes(encode(v1, v1Event)));

        assertThat(read.getTenant()).as("v2 field takes its default").isNull();
        assertThat(read.getJobSize()).isEqualTo(3);
        assertThat(progress.deserialize("t", progress.serialize("t", current)).getTenant())
                .isEqualTo("acme");
    }

    @Test
    void completedEventsWrittenBeforeStylesReadAsTheFirstStyle() throws Exception {
        Schema v2 = EventSerde.loadSchema("ImageCompleted-v2.avsc");
        assertThat(v2.getField("style")).as("v2 has no style field").isNull();
        EventSerde<ImageCompleted> completed = EventSerdes.imageCompleted();
        ImageCompleted current = completedEvent("animeganv3-shinkai");

        // The same event as a v2 writer would have sent it: read into the v2 schema, written with it.
        BinaryMessageDecoder<GenericRecord> asV2 = new BinaryMessageDecoder<>(GenericData.get(), v2);
        asV2.addSchema(ImageCompleted.getClassSchema());
        GenericRecord v2Event = asV2.decode(completed.serialize("t", current));
        ImageCompleted read = completed.deserialize("t", toBytes(encode(v2, v2Event)));

        assertThat(read.getStyle()).as("v3 field takes its default").isEqualTo("animeganv2-hayao");
        assertThat(read.getImageId()).isEqualTo("img-3");
        assertThat(read.getOptions().getStyle()).isEqualTo("animeganv3-shinkai");
        assertThat(read.getCompletedAtMs()).isEqualTo(42L);
    }

    @Test
    void eventsWrittenBeforeFastHdReadWithoutAStyleSide() throws Exception {
        Schema v3 = EventSerde.loadSchema("ImageCompleted-v3.avsc");
        assertThat(v3.getField("options").schema().getField("styleSide"))
                .as("v3 options have no styleSide")
                .isNull();
        for (String file : new String[] {"FacesDetected-v2.avsc", "ImageStylized-v2.avsc"}) {
            assertThat(EventSerde.loadSchema(file).getField("options").schema().getField("styleSide"))
                    .as(file)
                    .isNull();
        }
        EventSerde<ImageCompleted> completed = EventSerdes.imageCompleted();
        ImageCompleted current = completedEvent("animeganv3-shinkai");
        current.getOptions().setStyleSide(768);

        BinaryMessageDecoder<GenericRecord> asV3 = new BinaryMessageDecoder<>(GenericData.get(), v3);
        asV3.addSchema(ImageCompleted.getClassSchema());
        GenericRecord v3Event = asV3.decode(completed.serialize("t", current));
        ImageCompleted read = completed.deserialize("t", toBytes(encode(v3, v3Event)));

        assertThat(read.getOptions().getStyleSide())
                .as("v4 field takes its default: full resolution")
                .isNull();
        assertThat(read.getStyle()).isEqualTo("animeganv3-shinkai");
        assertThat(completed
                        .deserialize("t", completed.serialize("t", current))
                        .getOptions()
                        .getStyleSide())
                .isEqualTo(768);
    }

    @Test
    void facesWrittenBeforePictureDrawnCropsReadWithTheirStoredCrop() throws Exception {
        Schema v3 = EventSerde.loadSchema("ImageStylized-v3.avsc");
        assertThat(v3.getField("faces").schema().getElementType().getField("stylizedFromPicture"))
                .as("v3 faces are never drawn from the picture")
                .isNull();
        EventSerde<ImageStylized> stylized = EventSerdes.imageStylized();
        BlobRef crop = new BlobRef("b", "work/img-4/faces/0-anime.png");
        ImageStylized current = ImageStylized.newBuilder()
                .setImageId("img-4")
                .setSource(new BlobRef("b", "inputs/img-4/original"))
                .setWidth(512)
                .setHeight(384)
                .setOptions(Options.newBuilder().build())
                .setStylized(new BlobRef("b", "work/img-4/anime.png"))
                .setFaces(java.util.List.of(Face.newBuilder()
                        .setIndex(0)
                        .setScore(0.9f)
                        .setBox(java.util.List.of(1f, 2f, 3f, 4f))
                        .setLandmarks(java.util.List.of())
                        .setAffine(java.util.List.of(1d, 0d, 0d, 0d, 1d, 0d))
                        .setCrop(new BlobRef("b", "work/img-4/faces/0.png"))
                        .setStylized(crop)
                        .build()))
                .setTrace(new Trace("t", 2L, Map.of()))
                .build();

        BinaryMessageDecoder<GenericRecord> asV3 = new BinaryMessageDecoder<>(GenericData.get(), v3);
        asV3.addSchema(ImageStylized.getClassSchema());
        GenericRecord v3Event = asV3.decode(stylized.serialize("t", current));
        Face read = stylized.deserialize("t", toBytes(encode(v3, v3Event)))
                .getFaces()
                .get(0);

        assertThat(read.getStylizedFromPicture())
                .as("v4 field takes its default")
                .isFalse();
        assertThat(read.getStylized()).isEqualTo(crop);
        Face drawnFromPicture = current.getFaces().get(0);
        drawnFromPicture.setStylized(null);
        drawnFromPicture.setStylizedFromPicture(true);
        assertThat(stylized.deserialize("t", stylized.serialize("t", current))
                        .getFaces()
                        .get(0)
                        .getStylizedFromPicture())
                .as("the flag survives the topic")
                .isTrue();
    }

    @Test
    void completedEventCarriesItsStyle() {
        EventSerde<ImageCompleted> completed = EventSerdes.imageCompleted();
        ImageCompleted event = completedEvent("whitebox-cartoon");
        assertThat(completed.deserialize("t", completed.serialize("t", event)).getStyle())
                .isEqualTo("whitebox-cartoon");
    }

    private static ImageCompleted completedEvent(String style) {
        return ImageCompleted.newBuilder()
                .setImageId("img-3")
                .setResult(new BlobRef("b", "results/img-3.png"))
                .setContentType("image/png")
                .setWidth(512)
                .setHeight(384)
                .setFaceCount(0)
                .setFaces(java.util.List.of())
                .setCompletedAtMs(42L)
                .setStyle(style)
                .setOptions(Options.newBuilder().setStyle(style).build())
                .setTrace(new Trace("t", 2L, Map.of()))
                .build();
    }

    @Test
    void messagesCarryTheWriterSchemaFingerprint() {
        ImageSubmitted event = serde.deserialize("t", toBytes(ByteBuffer.wrap(serde.serialize("t", currentEvent()))));
        byte[] bytes = serde.serialize("t", event);
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getLong();
        assertThat(fingerprint).isEqualTo(SchemaNormalization.parsingFingerprint64(ImageSubmitted.getClassSchema()));
        assertThat(serde.deserialize("t", bytes)).isEqualTo(event);
    }

    @Test
    void unknownSchemaIsASerializationError() {
        Schema other = Schema.createRecord(
                "Stranger",
                null,
                "elsewhere",
                false,
                java.util.List.of(new Schema.Field("x", Schema.create(Schema.Type.INT))));
        GenericRecord record = new GenericData.Record(other);
        record.put("x", 1);
        byte[] bytes = toBytes(encode(other, record));
        assertThatThrownBy(() -> serde.deserialize("t", bytes)).isInstanceOf(SerializationException.class);
    }

    private static GenericRecord v1Event(Schema v1) {
        Schema optionsSchema = v1.getField("options").schema();
        GenericRecord options = new GenericData.Record(optionsSchema);
        options.put("style", "hayao");
        options.put("faces", true);
        options.put("maxSide", 1280);
        options.put("format", "jpeg");
        GenericRecord source = new GenericData.Record(v1.getField("source").schema());
        source.put("bucket", "animegan");
        source.put("key", "inputs/img-1");
        GenericRecord trace = new GenericData.Record(v1.getField("trace").schema());
        trace.put("traceId", "t-1");
        trace.put("submittedAtMs", 1L);
        trace.put("stageMs", Map.of("ingest", 12L));
        GenericRecord event = new GenericData.Record(v1);
        event.put("imageId", "img-1");
        event.put("name", "holiday.jpg");
        event.put("source", source);
        event.put("sizeBytes", 1000L);
        event.put("options", options);
        event.put("trace", trace);
        return event;
    }

    private static ImageSubmitted currentEvent() {
        return ImageSubmitted.newBuilder()
                .setImageId("img-2")
                .setName("x.png")
                .setSizeBytes(5)
                .setSource(new BlobRef("b", "k"))
                .setOptions(Options.newBuilder().setDebug(true).build())
                .setTrace(new Trace("t", 2L, Map.of()))
                .build();
    }

    private static ByteBuffer encode(Schema schema, GenericRecord record) {
        try {
            return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] toBytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
