package io.animegan.blend;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.config.StorageConfig;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.OpenCv;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.embedded.EmbeddedS3;
import io.animegan.events.BlobRef;
import io.animegan.events.Face;
import io.animegan.events.FaceStyle;
import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageStylized;
import io.animegan.events.Options;
import io.animegan.events.Trace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

/** BlendProcessor's storage side, through a real S3 server: what it reads, stores and reports. */
class BlendProcessorTest {

    private static final String ID = "img-1";

    @TempDir
    static Path dataDir;

    private static EmbeddedS3 s3;
    private static BlobStore store;

    @BeforeAll
    static void start() {
        OpenCv.load();
        s3 = EmbeddedS3.start(dataDir, 0, "blend-test", "blend-test-secret");
        store = new BlobStore(new StorageConfig(s3.endpoint(), "blend-test", "blend-test-secret", "animegan", null));
        store.ensureBucket();
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
    }

    /** A 600x400 source with one drawn face; the stylized picture at half size. */
    private static ImageStylized event(Options options) {
        Mat labels = SyntheticFaces.labels();
        BlobRef crop = png(Keys.faceCrop(ID, 0), SyntheticFaces.crop(labels, new Scalar(150, 170, 220), 4));
        BlobRef stylizedCrop = png(Keys.stylizedFace(ID, 0), SyntheticFaces.crop(labels, new Scalar(120, 150, 235), 0));
        BlobRef parsing = png(Keys.faceParsing(ID, 0), labels);
        BlobRef picture = png(Keys.stylizedPicture(ID), new Mat(200, 300, CvType.CV_8UC3, new Scalar(90, 140, 60)));
        Face face = Face.newBuilder()
                .setIndex(0)
                .setScore(0.99f)
                .setBox(List.of(235f, 135f, 365f, 265f))
                .setLandmarks(List.of(270f, 190f, 330f, 190f, 300f, 210f, 275f, 240f, 325f, 240f))
                .setAffine(doubles(SyntheticFaces.sourceToCrop(0.5, 300, 200)))
                .setCrop(crop)
                .setParsing(parsing)
                .setStylized(stylizedCrop)
                .setRegions(List.of("skin", "brows", "eyes", "nose", "lips", "hair"))
                .build();
        return ImageStylized.newBuilder()
                .setImageId(ID)
                .setSource(new BlobRef("animegan", Keys.original(ID)))
                .setWidth(600)
                .setHeight(400)
                .setOptions(options)
                .setStylized(picture)
                .setFaces(List.of(face))
                .setTrace(new Trace("trace-1", 1L, Map.of()))
                .build();
    }

    @Test
    void storesTheResultAndRecordsTheFaceStyleUsed() {
        ImageCompleted completed = new BlendProcessor(store, new FaceBlender())
                .process(event(Options.newBuilder().build()));

        assertThat(completed.getWidth()).isEqualTo(300);
        assertThat(completed.getHeight()).isEqualTo(200);
        assertThat(completed.getFaceCount()).isEqualTo(1);
        assertThat(completed.getContentType()).isEqualTo("image/png");
        assertThat(completed.getOverlay()).as("no overlay unless asked for").isNull();
        assertThat(completed.getOptions().getFaceStyle())
                .as("the defaults, written out")
                .isEqualTo(FaceStyle.newBuilder().build());
        assertThat(completed.getStyle())
                .as("the old style name recorded by its id")
                .isEqualTo("animeganv2-hayao");
        assertThat(completed.getTrace().getStageMs()).containsKey(BlendProcessor.NAME);
        Mat result = ImageCodec.decodeInternal(store.get(completed.getResult()));
        Mat plain = new Mat(200, 300, CvType.CV_8UC3, new Scalar(90, 140, 60));
        Mat diff = new Mat();
        Core.absdiff(result, plain, diff);
        assertThat(Core.norm(diff, Core.NORM_INF)).as("the face was pasted").isGreaterThan(30);
    }

    @Test
    void aFaceDrawnFromThePictureIsCutFromTheStylizedPictureWithoutAStoredCrop() {
        ImageStylized event = event(Options.newBuilder().build());
        Face face = event.getFaces().get(0);
        face.setStylized(null);
        face.setStylizedFromPicture(true);

        ImageCompleted completed = new BlendProcessor(store, new FaceBlender()).process(event);

        Mat result = ImageCodec.decodeInternal(store.get(completed.getResult()));
        Mat plain = new Mat(200, 300, CvType.CV_8UC3, new Scalar(90, 140, 60));
        Mat diff = new Mat();
        Core.absdiff(result, plain, diff);
        assertThat(Core.norm(diff, Core.NORM_INF))
                .as("the face was pasted: the picture's own crop mixed with the photo's")
                .isGreaterThan(30);
    }

    @Test
    void aStyleWithItsOwnFaceDefaultsIsBlendedAndRecordedWithThem() {
        ImageCompleted completed = new BlendProcessor(store, new FaceBlender())
                .process(event(
                        Options.newBuilder().setStyle("animeganv3-cute-tiny").build()));
        assertThat(completed.getStyle()).isEqualTo("animeganv3-cute-tiny");
        FaceStyle used = completed.getOptions().getFaceStyle();
        assertThat(used.getEyes()).as("the cute style's own default").isEqualTo(1f);
        assertThat(used.getSharpen()).isZero();
        assertThat(used.getHair())
                .as("schema default")
                .isEqualTo(FaceStyle.newBuilder().build().getHair());
    }

    @Test
    void debugStoresAnOverlayAndTheStyleAskedForIsRecorded() {
        FaceStyle style = FaceStyle.newBuilder().setSkin(0.2f).setClone("mixed").build();
        Options options = Options.newBuilder()
                .setDebug(true)
                .setFormat("jpeg")
                .setFaceStyle(style)
                .build();

        ImageCompleted completed = new BlendProcessor(store, new FaceBlender()).process(event(options));

        assertThat(completed.getOverlay()).isEqualTo(new BlobRef("animegan", Keys.overlay(ID)));
        Mat overlay = ImageCodec.decodeInternal(store.get(completed.getOverlay()));
        assertThat(overlay.size()).isEqualTo(new org.opencv.core.Size(300, 200));
        assertThat(completed.getContentType()).isEqualTo("image/jpeg");
        assertThat(completed.getOptions().getFaceStyle()).isEqualTo(style);
    }

    @Test
    void withoutFacesThePngResultIsTheStylizedPictureAsStylizeStoredIt() {
        Mat noisy = new Mat(200, 300, CvType.CV_8UC3);
        Core.randu(noisy, 0, 256);
        BlobRef picture = png(Keys.stylizedPicture("no-faces"), noisy);
        ImageStylized event = event(Options.newBuilder().build());
        event.setImageId("no-faces");
        event.setSource(new BlobRef("animegan", Keys.original("no-faces"))); // every object of the event is its own
        event.setStylized(picture);
        event.setFaces(List.of());

        ImageCompleted completed = new BlendProcessor(store, new FaceBlender()).process(event);

        assertThat(completed.getWidth()).isEqualTo(300);
        assertThat(completed.getHeight()).isEqualTo(200);
        assertThat(completed.getFaceCount()).isZero();
        assertThat(completed.getResult()).isEqualTo(new BlobRef("animegan", Keys.result("no-faces", "png")));
        assertThat(store.get(completed.getResult()))
                .as("the bytes a decode and PNG encode of the stylized picture would give")
                .isEqualTo(ImageCodec.encodePng(ImageCodec.decodeInternal(store.get(picture))));
    }

    @Test
    void theStylesOfOneUploadShareTheirFaceGroupsAnalysisAndItsPhotoSide() {
        ImageStylized first = asFaceGroupAnalysis(event(Options.newBuilder().build()));
        ImageStylized second =
                asAnotherStyle(asFaceGroupAnalysis(event(Options.newBuilder().build())), "img-2");
        FacePhotos photos = new FacePhotos(FacePhotos.DEFAULT_MAX_BYTES);
        try (BlendProcessor blend = new BlendProcessor(store, new FaceBlender(), StyleCatalogue.builtIn(), photos)) {
            blend.process(first);
            // The first style is done: its intermediates are cleaned up while the second is still to blend.
            store.deletePrefix(Keys.workPrefix(ID));

            byte[] shared = store.get(blend.process(second).getResult());

            assertThat(photos.hits())
                    .as("the second style took the first one's photo side")
                    .isEqualTo(1);
            byte[] alone = store.get(
                    new BlendProcessor(store, new FaceBlender()).process(second).getResult());
            assertThat(shared)
                    .as("the same result as a blend-stage that kept nothing and read the analysis again")
                    .isEqualTo(alone);
        }
        assertThat(photos.bytes()).as("released with the processor").isZero();
    }

    @Test
    void aFacesPhotoIsKeptByItsObjectsAndGeometry() {
        Face face = face();
        Face moved = face();
        List<Double> affine = new ArrayList<>(moved.getAffine());
        affine.set(2, affine.get(2) + 1);
        moved.setAffine(affine);
        Face other = face();
        other.setCrop(new BlobRef("animegan", Keys.faceCrop("img-2", 0)));

        assertThat(BlendProcessor.photoKey(face())).isEqualTo(BlendProcessor.photoKey(face));
        assertThat(BlendProcessor.photoKey(moved)).isNotEqualTo(BlendProcessor.photoKey(face));
        assertThat(BlendProcessor.photoKey(other)).isNotEqualTo(BlendProcessor.photoKey(face));
    }

    private static Face face() {
        return event(Options.newBuilder().build()).getFaces().get(0);
    }

    /** The picture's face as face-stage stores a face group's analysis: under the analysis keys. */
    private static ImageStylized asFaceGroupAnalysis(ImageStylized event) {
        Face face = event.getFaces().get(0);
        face.setCrop(store.copy(face.getCrop(), Keys.faceAnalysisCrop(ID, 0)));
        face.setParsing(store.copy(face.getParsing(), Keys.faceAnalysisParsing(ID, 0)));
        return event;
    }

    /**
     * The picture in another style of the same upload: stylize-stage's objects copied under its id,
     * the face group's analysis named as it is. Set in place: the builders' deep copy refuses the
     * events' classes here.
     */
    private static ImageStylized asAnotherStyle(ImageStylized event, String id) {
        Face face = event.getFaces().get(0);
        face.setStylized(store.copy(face.getStylized(), Keys.stylizedFace(id, 0)));
        event.setImageId(id);
        event.setSource(new BlobRef("animegan", Keys.original(id)));
        event.setStylized(store.copy(event.getStylized(), Keys.stylizedPicture(id)));
        return event;
    }

    private static BlobRef png(String key, Mat image) {
        return store.put(key, ImageCodec.encodePng(image), "image/png");
    }

    private static List<Double> doubles(double[] values) {
        List<Double> list = new ArrayList<>();
        for (double v : values) {
            list.add(v);
        }
        return list;
    }
}
