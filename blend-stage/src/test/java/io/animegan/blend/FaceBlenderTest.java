package io.animegan.blend;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.face.FaceTemplate;
import io.animegan.common.image.OpenCv;
import io.animegan.events.FaceStyle;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.photo.Photo;

/** The blend step on drawn faces, without models: order, sizes, edges and options. */
class FaceBlenderTest {

    private static final FaceStyle DEFAULTS = FaceStyle.newBuilder().build();

    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    /** A face whose crop is shown at scale s (picture px per crop px) around (cx, cy). */
    private static FaceLayers face(int index, double s, double cx, double cy) {
        Mat labels = SyntheticFaces.labels();
        double half = 130 * s;
        return new FaceLayers(
                index,
                SyntheticFaces.crop(labels, new Scalar(150, 170, 220), 4),
                SyntheticFaces.crop(labels, new Scalar(120, 150, 235), 0),
                labels,
                SyntheticFaces.sourceToCrop(s, cx, cy),
                new float[] {(float) (cx - half), (float) (cy - half), (float) (cx + half), (float) (cy + half)},
                new float[] {
                    (float) cx - 30,
                    (float) cy - 10,
                    (float) cx + 30,
                    (float) cy - 10,
                    (float) cx,
                    (float) cy + 10,
                    (float) cx - 25,
                    (float) cy + 40,
                    (float) cx + 25,
                    (float) cy + 40
                });
    }

    private static Mat picture() {
        return new Mat(600, 800, CvType.CV_8UC3, new Scalar(90, 140, 60));
    }

    @Test
    void pastesSmallerFacesFirstSoNearerOnesOverlapThem() {
        Mat picture = picture();
        List<BlendedFace> outcomes = new FaceBlender()
                .blend(
                        picture,
                        List.of(face(0, 0.6, 300, 300), face(1, 0.3, 420, 320), face(2, 0.45, 600, 300)),
                        DEFAULTS,
                        1,
                        1);
        assertThat(outcomes).extracting(BlendedFace::index).containsExactly(1, 2, 0);
        assertThat(outcomes).allMatch(BlendedFace::isPasted);
    }

    @Test
    void facesTooSmallInTheOutputAreLeftToTheFullPicturePass() {
        Mat picture = picture();
        Mat before = picture.clone();
        // 260 * 0.05 = 13 px wide in the source, and the output is the source's size.
        List<BlendedFace> outcomes = new FaceBlender().blend(picture, List.of(face(0, 0.05, 300, 300)), DEFAULTS, 1, 1);
        assertThat(outcomes.get(0).isPasted()).isFalse();
        assertThat(outcomes.get(0).skipped()).contains("below " + FaceTemplate.MIN_OUTPUT_WIDTH);
        Mat diff = new Mat();
        Core.absdiff(picture, before, diff);
        assertThat(Core.norm(diff, Core.NORM_INF)).isZero();
    }

    @Test
    void facesCrossingTheBorderOrOutsideDoNotFail() {
        Mat picture = picture();
        List<BlendedFace> outcomes = new FaceBlender()
                .blend(
                        picture,
                        List.of(face(0, 0.5, 10, 300), face(1, 0.5, 790, 590), face(2, 0.5, -400, 300)),
                        DEFAULTS,
                        1,
                        1);
        assertThat(outcomes.stream().filter(o -> o.index() < 2)).allMatch(BlendedFace::isPasted);
        BlendedFace outside =
                outcomes.stream().filter(o -> o.index() == 2).findFirst().orElseThrow();
        assertThat(outside.isPasted()).isFalse();
        assertThat(outside.skipped()).isEqualTo("outside the picture");
    }

    @Test
    void theOutputScaleMapsSourceFacesOntoTheOutput() {
        Mat picture = new Mat(300, 400, CvType.CV_8UC3, new Scalar(90, 140, 60));
        // The face is at (400, 300) in an 800x600 source; the output is half that size.
        BlendedFace outcome = new FaceBlender()
                .blend(picture, List.of(face(0, 0.5, 400, 300)), DEFAULTS, 0.5, 0.5)
                .get(0);
        Mat mask = outcome.pasted().maskInPicture(picture.size());
        Rect box = org.opencv.imgproc.Imgproc.boundingRect(mask);
        assertThat(box.x + box.width / 2.0).isCloseTo(200, org.assertj.core.data.Offset.offset(8.0));
        assertThat(box.y + box.height / 2.0).isCloseTo(150, org.assertj.core.data.Offset.offset(12.0));
    }

    @Test
    void withoutParsingAnEllipseIsPasted() {
        FaceLayers parsed = face(0, 0.5, 300, 300);
        FaceLayers unparsed = new FaceLayers(
                0, parsed.crop(), parsed.stylized(), null, parsed.sourceToCrop(), parsed.box(), parsed.landmarks());
        BlendedFace outcome = new FaceBlender()
                .blend(picture(), List.of(unparsed), DEFAULTS, 1, 1)
                .get(0);
        assertThat(outcome.isPasted()).isTrue();
    }

    @Test
    void cloneOptionPicksTheSeamlessCloneMode() {
        assertThat(FaceBlender.cloneMode("normal")).isEqualTo(Photo.NORMAL_CLONE);
        assertThat(FaceBlender.cloneMode("mixed")).isEqualTo(Photo.MIXED_CLONE);
        assertThat(FaceBlender.cloneMode(null)).isEqualTo(Photo.NORMAL_CLONE);
    }
}
