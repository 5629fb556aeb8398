package io.animegan.stylize;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.StorageConfig;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.MatScope;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.common.testing.TestAssets;
import io.animegan.embedded.EmbeddedS3;
import io.animegan.events.BlobRef;
import io.animegan.events.EventSerde;
import io.animegan.events.EventSerdes;
import io.animegan.events.Face;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageStylized;
import io.animegan.events.Options;
import io.animegan.events.Trace;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

/** StylizeProcessor's storage side, through a real S3 server: which face crops it draws and stores. */
class StylizeProcessorTest {

    private static final String ID = "img-1";
    private static final String STYLE = "animeganv3-cute-tiny";

    @TempDir
    Path dataDir;

    @Test
    void aFaceThePictureHoldsAtItsCropsResolutionIsMarkedNotStoredAndAnEnlargedOneIsDrawnAndStored() {
        try (EmbeddedS3 s3 = EmbeddedS3.start(dataDir, 0, "stylize-test", "stylize-test-secret");
                MatScope scope = new MatScope();
                Generators generators = new Generators(
                        StyleCatalogue.load(TestAssets.requireModel(STYLE + ".onnx"), "int8"), Set.of(), 1, 0);
                StylizeProcessor processor = new StylizeProcessor(store(s3), generators)) {
            BlobStore store = store(s3);
            Mat photo = scope.own(ImageCodec.decode(TestAssets.sampleBytes("group-of-three.jpg")));
            Mat source = scope.own(StylizeProcessor.resize(photo, new OutputSize(256, 256)));
            BlobRef original = store.put(Keys.original(ID), ImageCodec.encodePng(source), "image/png");
            // Face 0: a 128 crop of a face 128 px wide in the 256 output. Face 1: a 128 crop of a face
            // 64 px wide, enlarged twice.
            BlobRef crop = store.put(
                    Keys.faceCrop(ID, 1),
                    ImageCodec.encodePng(scope.own(StylizeProcessor.resize(source, new OutputSize(128, 128)))),
                    "image/png");
            Face atItsSize =
                    face(0, List.of(1d, 0d, -64d, 0d, 1d, -64d), new BlobRef(store.bucket(), Keys.faceCrop(ID, 0)));
            Face enlarged = face(1, List.of(2d, 0d, -64d, 0d, 2d, -64d), crop);

            // Through the topic's serde, as the stage receives it (which also has Avro trust the events' package).
            EventSerde<FacesDetected> serde = EventSerdes.facesDetected();
            FacesDetected detected =
                    serde.deserialize("t", serde.serialize("t", event(original, List.of(atItsSize, enlarged))));

            ImageStylized stylized = processor.process(detected);

            Face first = stylized.getFaces().get(0);
            assertThat(first.getStylizedFromPicture()).isTrue();
            assertThat(first.getStylized()).isNull();
            assertThat(store.stat(Keys.stylizedFace(ID, 0)))
                    .as("a face drawn from the picture is never stored")
                    .isEmpty();
            Face second = stylized.getFaces().get(1);
            assertThat(second.getStylizedFromPicture()).isFalse();
            assertThat(second.getStylized()).isEqualTo(new BlobRef(store.bucket(), Keys.stylizedFace(ID, 1)));
            assertThat(store.stat(Keys.stylizedFace(ID, 1))).isPresent();
        }
    }

    private static BlobStore store(EmbeddedS3 s3) {
        BlobStore store = new BlobStore(
                new StorageConfig(s3.endpoint(), "stylize-test", "stylize-test-secret", "animegan", null));
        store.ensureBucket();
        return store;
    }

    private static FacesDetected event(BlobRef source, List<Face> faces) {
        return FacesDetected.newBuilder()
                .setImageId(ID)
                .setSource(source)
                .setWidth(256)
                .setHeight(256)
                .setOptions(Options.newBuilder().setStyle(STYLE).setMaxSide(256).build())
                .setFaces(faces)
                .setTrace(new Trace("t", 1L, Map.of()))
                .build();
    }

    private static Face face(int index, List<Double> sourceToCrop, BlobRef crop) {
        return Face.newBuilder()
                .setIndex(index)
                .setScore(0.9f)
                .setBox(List.of(64f, 64f, 192f, 192f))
                .setLandmarks(Collections.nCopies(10, 100f))
                .setAffine(sourceToCrop)
                .setCropSize(128)
                .setCrop(crop)
                .build();
    }
}
