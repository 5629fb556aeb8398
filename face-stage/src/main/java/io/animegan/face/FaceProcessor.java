package io.animegan.face;

import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.ImageHeader;
import io.animegan.common.image.MatScope;
import io.animegan.common.metrics.AnimeganMetrics;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.stage.ErrorCode;
import io.animegan.common.stage.StageException;
import io.animegan.common.stage.StageInputs;
import io.animegan.common.stage.Traces;
import io.animegan.common.storage.BlobNotFoundException;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.events.BlobRef;
import io.animegan.events.Face;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageSubmitted;
import io.animegan.face.FaceAnalyzer.AnalyzedFace;
import io.animegan.face.align.FaceAligner;
import io.animegan.face.detect.DetectedFace;
import io.animegan.face.detect.RetinaFaceDetector;
import io.animegan.face.parse.FaceParser;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Mat;

/**
 * Decodes the upload (upright, per its EXIF orientation) and has {@link FaceAnalyzer} find the
 * faces, align each one to the template at about its size in the output picture (256 to 512 px)
 * and parse it into regions. Stores crops and label maps; the event carries their references, the
 * geometry and the regions found. With faces off it only checks the file and reads its upright
 * size: stylize-stage decodes the picture anyway.
 *
 * <p>Owns the detector and parser models and their tensors (closed by {@link #close()}); every Mat
 * of one picture is released before {@link #process} returns or throws.
 */
public final class FaceProcessor implements FaceWork {

    public static final String NAME = "face";
    /** Pictures whose faces were detected, aligned and parsed (not those that took over another's analysis). */
    public static final String ANALYSES = AnimeganMetrics.PREFIX + "face.analyses";

    private final BlobStore store;
    private final OnnxModel detectorModel;
    private final OnnxModel parserModel;
    private final RetinaFaceDetector detector;
    private final FaceParser parser;
    private final FaceAnalyzer analyzer;
    private final Counter analyses = Counter.builder(ANALYSES)
            .description("Pictures whose faces face-stage analysed")
            .register(AnimeganMetrics.registry());

    /** Takes ownership of both models. */
    public FaceProcessor(BlobStore store, OnnxModel detectorModel, OnnxModel parserModel) {
        this.store = store;
        this.detectorModel = detectorModel;
        this.parserModel = parserModel;
        this.detector = new RetinaFaceDetector(detectorModel);
        this.parser = new FaceParser(parserModel);
        this.analyzer = new FaceAnalyzer(detector, new FaceAligner(), parser);
    }

    @Override
    public FacesDetected process(ImageSubmitted event) {
        return process(event, false);
    }

    @Override
    public FacesDetected analyseForGroup(ImageSubmitted event) {
        return process(event, true);
    }

    private FacesDetected process(ImageSubmitted event, boolean forGroup) {
        StageInputs.check(event, store.bucket());
        long start = System.nanoTime();
        if (!event.getOptions().getFaces()) {
            // Nothing to look at: the checks and the upright size, without decoding the pixels.
            ImageHeader size = ImageCodec.uprightSize(source(event.getSource()));
            return detected(event, size.width(), size.height(), List.of(), start);
        }
        analyses.increment();
        try (MatScope scope = new MatScope()) {
            Mat picture = scope.own(ImageCodec.decode(source(event.getSource())));
            List<Face> faces = findFaces(
                    event.getImageId(),
                    forGroup,
                    picture,
                    outputScale(picture, event.getOptions().getMaxSide()));
            return detected(event, picture.cols(), picture.rows(), faces, start);
        }
    }

    @Override
    public FacesDetected reuse(ImageSubmitted event, int width, int height, List<Face> analysed) {
        StageInputs.check(event, store.bucket());
        return detected(event, width, height, analysed, System.nanoTime());
    }

    private static FacesDetected detected(ImageSubmitted event, int width, int height, List<Face> faces, long start) {
        return FacesDetected.newBuilder()
                .setImageId(event.getImageId())
                .setSource(event.getSource())
                .setWidth(width)
                .setHeight(height)
                .setOptions(event.getOptions())
                .setFaces(faces)
                .setTrace(Traces.withStage(event.getTrace(), NAME, (System.nanoTime() - start) / 1_000_000))
                .build();
    }

    /** Tensors before the sessions they were made for. */
    @Override
    public void close() {
        detector.close();
        parser.close();
        detectorModel.close();
        parserModel.close();
    }

    private byte[] source(BlobRef source) {
        try {
            return store.get(source);
        } catch (BlobNotFoundException e) {
            throw new StageException(ErrorCode.SOURCE_MISSING, e.getMessage(), e);
        }
    }

    /**
     * Output pixels per source pixel: stylize-stage fits the picture into {@code maxSide} and never
     * enlarges it (it also rounds the sides to multiples of 8, which hardly changes a crop's size).
     * An invalid maxSide is refused there; here it only sizes the crops.
     */
    static double outputScale(Mat picture, int maxSide) {
        int longer = Math.max(picture.cols(), picture.rows());
        return maxSide > 0 ? Math.min(1.0, (double) maxSide / longer) : 1.0;
    }

    private List<Face> findFaces(String imageId, boolean forGroup, Mat picture, double outputScale) {
        List<AnalyzedFace> analyzed = analyzer.analyze(picture, outputScale);
        try {
            List<Face> faces = new ArrayList<>(analyzed.size());
            for (int i = 0; i < analyzed.size(); i++) {
                faces.add(store(imageId, forGroup, i, analyzed.get(i)));
            }
            return faces;
        } finally {
            // A storage outage mid-way is retried with the whole record: no face may stay behind.
            analyzed.forEach(AnalyzedFace::close);
        }
    }

    /**
     * The label map is stored with the eyes behind glasses already added, so blend-stage sees them.
     * A face group's analysis goes under its own keys, which the group's other styles name as they
     * are and which outlive this picture's intermediates (see {@link Keys#faceAnalysisPrefix}).
     */
    private Face store(String imageId, boolean forGroup, int index, AnalyzedFace face) {
        DetectedFace detected = face.detected();
        Mat crop = face.aligned().crop();
        String cropKey = forGroup ? Keys.faceAnalysisCrop(imageId, index) : Keys.faceCrop(imageId, index);
        String parsingKey = forGroup ? Keys.faceAnalysisParsing(imageId, index) : Keys.faceParsing(imageId, index);
        BlobRef cropRef = store.put(cropKey, ImageCodec.encodePng(crop), "image/png");
        BlobRef parsing = store.put(parsingKey, ImageCodec.encodePng(face.labels()), "image/png");
        return Face.newBuilder()
                .setIndex(index)
                .setScore(detected.score())
                .setBox(List.of(detected.x1(), detected.y1(), detected.x2(), detected.y2()))
                .setLandmarks(floats(detected.landmarks()))
                .setAffine(doubles(face.aligned().affine()))
                .setCropSize(crop.cols())
                .setCrop(cropRef)
                .setParsing(parsing)
                .setRegions(face.regions())
                .build();
    }

    private static List<Float> floats(float[] values) {
        List<Float> list = new ArrayList<>(values.length);
        for (float v : values) {
            list.add(v);
        }
        return list;
    }

    private static List<Double> doubles(double[] values) {
        List<Double> list = new ArrayList<>(values.length);
        for (double v : values) {
            list.add(v);
        }
        return list;
    }
}
