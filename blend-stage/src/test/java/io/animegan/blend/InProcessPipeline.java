package io.animegan.blend;

import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.common.testing.TestAssets;
import io.animegan.events.FaceStyle;
import io.animegan.face.FaceAnalyzer;
import io.animegan.face.FaceAnalyzer.AnalyzedFace;
import io.animegan.face.FaceStageApp;
import io.animegan.face.align.FaceAligner;
import io.animegan.face.detect.DetectedFace;
import io.animegan.face.detect.RetinaFaceDetector;
import io.animegan.face.parse.FaceParser;
import io.animegan.stylize.OutputSize;
import io.animegan.stylize.StyleGenerator;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The three stages' image work in one process, without Kafka or storage: the real detector,
 * aligner, parser (face-stage), a style's generator (stylize-stage, int8 where the style has one)
 * and {@link FaceBlender}.
 * Builds the realistic inputs of the acceptance tests.
 */
final class InProcessPipeline implements AutoCloseable {

    private final OnnxModel detectorModel;
    private final OnnxModel parserModel;
    private final RetinaFaceDetector detector;
    private final FaceParser parser;
    private final FaceAnalyzer analyzer;
    private final StyleGenerator generator;

    /** With the default style. */
    InProcessPipeline() {
        this(StyleCatalogue.builtIn().defaultStyle().id());
    }

    InProcessPipeline(String styleId) {
        detectorModel =
                OnnxModel.load(TestAssets.requireModel(FaceStageApp.DETECTOR_MODEL), FaceStageApp.DETECTOR_MODEL, 0);
        parserModel = OnnxModel.load(TestAssets.requireModel(FaceStageApp.PARSER_MODEL), FaceStageApp.PARSER_MODEL, 0);
        StyleCatalogue styles = StyleCatalogue.load(TestAssets.modelsDir(), "int8");
        var style = styles.resolve(styleId);
        String file = styles.availability(style).modelFile();
        detector = new RetinaFaceDetector(detectorModel);
        parser = new FaceParser(parserModel);
        analyzer = new FaceAnalyzer(detector, new FaceAligner(), parser);
        generator = StyleGenerator.load(style, TestAssets.requireModel(file), file, 0);
    }

    /**
     * One picture through the pipeline.
     *
     * @param source the picture, 8-bit BGR
     * @param analyzed what face-stage found, in face order
     * @param faces the blend inputs, in face order
     * @param stylized the full-picture stylization at output size, before any face was pasted
     * @param result the final picture
     */
    record Run(
            Mat source,
            List<AnalyzedFace> analyzed,
            List<FaceLayers> faces,
            Mat stylized,
            Mat result,
            List<BlendedFace> outcomes,
            double scaleX,
            double scaleY) {

        BlendedFace outcome(int index) {
            return outcomes.stream().filter(o -> o.index() == index).findFirst().orElseThrow();
        }
    }

    Run run(Mat source, int maxSide, FaceStyle style) {
        long t0 = System.nanoTime();
        OutputSize size = OutputSize.fit(source.cols(), source.rows(), maxSide);
        List<AnalyzedFace> analyzed =
                analyzer.analyze(source, Math.min(1.0, (double) maxSide / Math.max(source.cols(), source.rows())));
        long t1 = System.nanoTime();
        Mat resized = new Mat();
        Imgproc.resize(
                source,
                resized,
                new Size(size.width(), size.height()),
                0,
                0,
                size.width() < source.cols() ? Imgproc.INTER_AREA : Imgproc.INTER_CUBIC);
        Mat stylized = generator.stylize(resized);
        resized.release();
        long t2 = System.nanoTime();
        List<FaceLayers> faces = new ArrayList<>();
        for (int i = 0; i < analyzed.size(); i++) {
            AnalyzedFace face = analyzed.get(i);
            DetectedFace d = face.detected();
            faces.add(new FaceLayers(
                    i,
                    face.aligned().crop(),
                    generator.stylize(face.aligned().crop()),
                    face.labels(),
                    face.aligned().affine(),
                    new float[] {d.x1(), d.y1(), d.x2(), d.y2()},
                    d.landmarks()));
        }
        long t3 = System.nanoTime();
        Mat result = stylized.clone();
        double scaleX = (double) stylized.cols() / source.cols();
        double scaleY = (double) stylized.rows() / source.rows();
        List<BlendedFace> outcomes = new FaceBlender().blend(result, faces, style, scaleX, scaleY);
        long t4 = System.nanoTime();
        System.out.printf(
                "timing: %dx%d, %d faces: analyze %d ms, stylize picture %dx%d %d ms, stylize crops %d ms, blend %d ms%n",
                source.cols(),
                source.rows(),
                faces.size(),
                (t1 - t0) / 1_000_000,
                size.width(),
                size.height(),
                (t2 - t1) / 1_000_000,
                (t3 - t2) / 1_000_000,
                (t4 - t3) / 1_000_000);
        return new Run(source, analyzed, faces, stylized, result, outcomes, scaleX, scaleY);
    }

    /** Faces as face-stage finds them (large faces again in a padded copy). */
    List<DetectedFace> detect(Mat picture) {
        return analyzer.detect(picture);
    }

    @Override
    public void close() {
        detector.close();
        parser.close();
        detectorModel.close();
        parserModel.close();
        generator.close();
    }
}
