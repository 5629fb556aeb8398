package io.animegan.face.detect;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.animegan.common.image.OpenCv;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.onnx.Tensors;
import io.animegan.common.stage.ErrorCode;
import io.animegan.common.stage.StageException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * RetinaFace (MobileNet-0.25) face detector with five landmarks, in three steps: picture to input
 * tensor, model call, decoding of the prior-box regressions followed by non-maximum suppression.
 *
 * <p>Input size: the picture is shrunk so that its longer side is at most {@value #MAX_INPUT_SIDE}
 * pixels, as upstream does, but never enlarged: the smallest anchor is 16 px, so enlarging a small
 * picture only costs time. Upstream then pads to an 840x840 square; here the network runs on the
 * resized picture itself (the model is fully convolutional and its output length equals the prior
 * count for any size, which ONNX Runtime checks against the pinned output tensors on every call).
 * That skips the work on padding for non-square pictures, and since the network sees the whole
 * picture, decoded coordinates, which are fractions of the input, map back to source pixels by a
 * plain multiplication with the source size.
 *
 * <p>Faces are returned left to right (by the box's left edge), so that face numbers follow the
 * reading order of the picture and stay stable when scores change slightly.
 *
 * <p>Not thread-safe: input and output tensors are reused between calls. Use one detector per
 * thread; they may share one {@link OnnxModel}, which the caller owns and closes.
 */
public final class RetinaFaceDetector implements AutoCloseable {

    public static final int MAX_INPUT_SIDE = 840;
    /**
     * The smallest input side {@link #detect(Mat, int)} is asked for: at 640 the sample's faces are
     * found as at 900 (models README), and a face the product still enhances (16 px in an output of
     * at most this size) is at least the smallest anchor, 16 px.
     */
    public static final int MIN_INPUT_SIDE = 640;

    public static final float DEFAULT_SCORE_THRESHOLD = 0.8f;
    static final float NMS_IOU_THRESHOLD = 0.4f;

    private static final String INPUT = "input0";
    private static final String BOXES = "output0";
    private static final String SCORES = "output1";
    private static final String LANDMARKS = "output2";
    private static final double[] MEAN_BGR = {104, 117, 123};
    private static final float CENTER_VARIANCE = 0.1f;
    private static final float SIZE_VARIANCE = 0.2f;

    static {
        OpenCv.load();
    }

    private final OnnxModel model;
    private final float scoreThreshold;
    private final int maxInputSide;
    private final Mat resized = new Mat();
    private Workspace workspace;

    public RetinaFaceDetector(OnnxModel model) {
        this(model, DEFAULT_SCORE_THRESHOLD);
    }

    /** @param scoreThreshold minimum face probability (exclusive) of a detection */
    public RetinaFaceDetector(OnnxModel model, float scoreThreshold) {
        this(model, scoreThreshold, MAX_INPUT_SIDE);
    }

    /** For tests: the README's reference detections were made at 900x900, without resizing. */
    RetinaFaceDetector(OnnxModel model, float scoreThreshold, int maxInputSide) {
        this.model = model;
        this.scoreThreshold = scoreThreshold;
        this.maxInputSide = maxInputSide;
    }

    /** Faces in an 8-bit BGR picture, left to right, in the picture's pixel coordinates. */
    public List<DetectedFace> detect(Mat bgr) {
        return detect(bgr, maxInputSide);
    }

    /**
     * {@link #detect(Mat)} with the network's input at most {@code inputSide} px on its longer side
     * (and at most this detector's maximum): pictures shrunk for a small output need no finer search.
     */
    public List<DetectedFace> detect(Mat bgr, int inputSide) {
        List<DetectedFace> faces = NonMaxSuppression.apply(candidates(bgr, inputSide), NMS_IOU_THRESHOLD);
        faces.sort(Comparator.comparingDouble(DetectedFace::x1));
        return faces;
    }

    /** Every prior's detection above the score threshold, before non-maximum suppression. */
    List<DetectedFace> candidates(Mat bgr, int inputSide) {
        if (bgr.empty() || bgr.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException("expected a non-empty 8-bit BGR picture, got " + bgr);
        }
        Mat input = networkInput(bgr, Math.min(inputSide, maxInputSide));
        Workspace ws = workspaceFor(input.cols(), input.rows());
        ws.load(input);
        run(ws);
        return decode(ws, bgr.cols(), bgr.rows());
    }

    /** The picture itself, or a shrunk copy in a reused Mat; INTER_AREA avoids aliasing when shrinking. */
    private Mat networkInput(Mat bgr, int side) {
        double scale = (double) side / Math.max(bgr.cols(), bgr.rows());
        if (scale >= 1) {
            return bgr;
        }
        Size size = new Size(Math.max(1, Math.round(bgr.cols() * scale)), Math.max(1, Math.round(bgr.rows() * scale)));
        Imgproc.resize(bgr, resized, size, 0, 0, Imgproc.INTER_AREA);
        return resized;
    }

    private Workspace workspaceFor(int width, int height) {
        if (workspace == null || !workspace.fits(width, height)) {
            releaseWorkspace();
            workspace = new Workspace(model.env(), width, height);
        }
        return workspace;
    }

    private void releaseWorkspace() {
        if (workspace != null) {
            workspace.close();
            workspace = null;
        }
    }

    private void run(Workspace ws) {
        try (OrtSession.Result ignored =
                model.run((session, options) -> session.run(ws.inputs, Set.of(), ws.outputs, options))) {
            // The outputs were written into the workspace's pinned buffers; the result holds nothing else.
        } catch (OrtException e) {
            throw new StageException(ErrorCode.MODEL_ERROR, "face detection failed: " + e.getMessage(), e);
        }
    }

    private List<DetectedFace> decode(Workspace ws, int sourceWidth, int sourceHeight) {
        List<DetectedFace> candidates = new ArrayList<>();
        for (int prior = 0; prior < ws.priors.count(); prior++) {
            float score = ws.scores.get(prior * 2 + 1);
            if (score > scoreThreshold) {
                candidates.add(decodePrior(ws, prior, score, sourceWidth, sourceHeight));
            }
        }
        return candidates;
    }

    /** One prior's regression to a face, as in the README: centre offsets and log-size ratios. */
    private static DetectedFace decodePrior(Workspace ws, int prior, float score, int sourceWidth, int sourceHeight) {
        PriorBoxes priors = ws.priors;
        float cx = priors.centerX(prior);
        float cy = priors.centerY(prior);
        float pw = priors.width(prior);
        float ph = priors.height(prior);
        int b = prior * 4;
        float x = cx + ws.boxes.get(b) * CENTER_VARIANCE * pw;
        float y = cy + ws.boxes.get(b + 1) * CENTER_VARIANCE * ph;
        float halfWidth = pw * (float) Math.exp(ws.boxes.get(b + 2) * SIZE_VARIANCE) / 2;
        float halfHeight = ph * (float) Math.exp(ws.boxes.get(b + 3) * SIZE_VARIANCE) / 2;
        float[] landmarks = new float[DetectedFace.LANDMARK_COUNT * 2];
        int l = prior * landmarks.length;
        for (int p = 0; p < DetectedFace.LANDMARK_COUNT; p++) {
            landmarks[2 * p] = (cx + ws.landmarks.get(l + 2 * p) * CENTER_VARIANCE * pw) * sourceWidth;
            landmarks[2 * p + 1] = (cy + ws.landmarks.get(l + 2 * p + 1) * CENTER_VARIANCE * ph) * sourceHeight;
        }
        return new DetectedFace(
                (x - halfWidth) * sourceWidth,
                (y - halfHeight) * sourceHeight,
                (x + halfWidth) * sourceWidth,
                (y + halfHeight) * sourceHeight,
                score,
                landmarks);
    }

    /** Releases the reused tensors and Mat; the model stays open. */
    @Override
    public void close() {
        releaseWorkspace();
        resized.release();
    }

    /**
     * Priors and tensors for one input size, kept until a picture of another size comes. The
     * tensors wrap direct buffers, so ONNX Runtime reads the input and writes the outputs in place:
     * no copy of the outputs into Java arrays, no allocation per call.
     */
    private static final class Workspace implements AutoCloseable {

        final PriorBoxes priors;
        final FloatBuffer input;
        final FloatBuffer boxes;
        final FloatBuffer scores;
        final FloatBuffer landmarks;
        final Map<String, OnnxTensor> inputs;
        final Map<String, OnnxTensor> outputs;
        private float[] pixels;

        Workspace(OrtEnvironment env, int width, int height) {
            priors = new PriorBoxes(width, height);
            long count = priors.count();
            input = directFloats(3L * width * height);
            boxes = directFloats(count * 4);
            scores = directFloats(count * 2);
            landmarks = directFloats(count * 10);
            try {
                inputs = Map.of(INPUT, OnnxTensor.createTensor(env, input, new long[] {1, 3, height, width}));
                outputs = Map.of(
                        BOXES, OnnxTensor.createTensor(env, boxes, new long[] {1, count, 4}),
                        SCORES, OnnxTensor.createTensor(env, scores, new long[] {1, count, 2}),
                        LANDMARKS, OnnxTensor.createTensor(env, landmarks, new long[] {1, count, 10}));
            } catch (OrtException e) {
                throw new StageException(
                        ErrorCode.MODEL_ERROR, "cannot allocate detector tensors: " + e.getMessage(), e);
            }
        }

        boolean fits(int width, int height) {
            return priors.inputWidth() == width && priors.inputHeight() == height;
        }

        /** BGR minus the training mean, planar (NCHW), into the input tensor's memory. */
        void load(Mat bgr) {
            pixels = Tensors.bgrToNchw(bgr, MEAN_BGR, pixels);
            input.clear();
            input.put(pixels);
        }

        private static FloatBuffer directFloats(long count) {
            return ByteBuffer.allocateDirect(Math.toIntExact(count * Float.BYTES))
                    .order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
        }

        @Override
        public void close() {
            inputs.values().forEach(OnnxTensor::close);
            outputs.values().forEach(OnnxTensor::close);
        }
    }
}
