package io.animegan.face.parse;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.animegan.common.face.FaceRegion;
import io.animegan.common.face.FaceRegion.Group;
import io.animegan.common.image.MatScope;
import io.animegan.common.image.OpenCv;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.onnx.Tensors;
import io.animegan.common.stage.ErrorCode;
import io.animegan.common.stage.StageException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfFloat;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * BiSeNetV2 face parsing of an aligned face crop into {@link FaceRegion} classes: crop to a
 * 448x448 RGB [-1, 1] tensor, model call, class map back to an 8-bit label map of the crop's size.
 *
 * <p>The input and output tensors live in direct buffers allocated once: ONNX Runtime reads the
 * input and writes the int64 class map in place, and OpenCV reads that class map through a Mat
 * over the same memory. Not thread-safe for that reason: use one parser per thread (they may
 * share one {@link OnnxModel}, which the caller owns and closes).
 */
public final class FaceParser implements AutoCloseable {

    /** The model's training size; it accepts multiples of 32, but 448 gives the cleanest maps. */
    public static final int INPUT_SIZE = 448;

    public static final int CLASS_COUNT = FaceRegion.values().length;

    private static final String INPUT = "input";
    private static final String OUTPUT = "class_map";
    /** Which byte of a native int64 holds its low 8 bits; class indices are all below 19. */
    private static final int LOW_BYTE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 0 : Long.BYTES - 1;

    static {
        OpenCv.load();
    }

    private final OnnxModel model;
    private final FloatBuffer input;
    /** Kept referenced here: the Mat below points into it but does not keep it alive. */
    private final ByteBuffer classMap;
    /** The int64 class map seen as 8 bytes per pixel, so OpenCV can pick the low byte. */
    private final Mat classMapBytes;

    private final Map<String, OnnxTensor> inputs;
    private final Map<String, OnnxTensor> outputs;
    private final Mat resized = new Mat();
    private final Mat labels = new Mat();
    private float[] pixels;

    public FaceParser(OnnxModel model) {
        this.model = model;
        int pixelCount = INPUT_SIZE * INPUT_SIZE;
        input = ByteBuffer.allocateDirect(pixelCount * 3 * Float.BYTES)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        classMap = ByteBuffer.allocateDirect(pixelCount * Long.BYTES).order(ByteOrder.nativeOrder());
        classMapBytes = new Mat(INPUT_SIZE, INPUT_SIZE, CvType.CV_8UC(Long.BYTES), classMap);
        try {
            inputs = Map.of(
                    INPUT, OnnxTensor.createTensor(model.env(), input, new long[] {1, INPUT_SIZE, INPUT_SIZE, 3}));
            outputs = Map.of(
                    OUTPUT,
                    OnnxTensor.createTensor(
                            model.env(), classMap, new long[] {INPUT_SIZE, INPUT_SIZE}, OnnxJavaType.INT64));
        } catch (OrtException e) {
            throw new StageException(ErrorCode.MODEL_ERROR, "cannot allocate parser tensors: " + e.getMessage(), e);
        }
    }

    /**
     * Class indices ({@link FaceRegion#index()}) of every pixel of an 8-bit BGR face crop, as a new
     * CV_8UC1 Mat of the crop's size, which the caller owns.
     */
    public Mat parse(Mat crop) {
        if (crop.empty() || crop.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException("expected a non-empty 8-bit BGR crop, got " + crop);
        }
        loadInput(crop);
        run();
        return labelsAtSize(crop.size());
    }

    /**
     * Always at the model's training size, whatever the crop's: the network finds features by their
     * size, and a 256 crop parsed at 256 loses eyes (models README: "coarser and less confident";
     * measured on the samples: 81-95 % of pixels agree with the 448 parsing, one eye missed, glasses
     * a third of their size; enlarged to 448: 98.4-99 %). INTER_AREA where a large crop is shrunk,
     * as area averaging keeps thin strokes like brows; bilinear where a small one is enlarged.
     */
    private void loadInput(Mat crop) {
        int interpolation = crop.cols() > INPUT_SIZE ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR;
        Imgproc.resize(crop, resized, new Size(INPUT_SIZE, INPUT_SIZE), 0, 0, interpolation);
        pixels = Tensors.bgrToNhwcRgb(resized, 1 / 127.5, -1, pixels);
        input.clear();
        input.put(pixels);
    }

    private void run() {
        try (OrtSession.Result ignored =
                model.run((session, options) -> session.run(inputs, Set.of(), outputs, options))) {
            // The class map was written into the pinned output buffer; the result holds nothing else.
        } catch (OrtException e) {
            throw new StageException(ErrorCode.MODEL_ERROR, "face parsing failed: " + e.getMessage(), e);
        }
    }

    /** Nearest-neighbour: class indices must not be blended into other, meaningless indices. */
    private Mat labelsAtSize(Size size) {
        Core.extractChannel(classMapBytes, labels, LOW_BYTE);
        try (MatScope scope = new MatScope()) {
            Mat result = scope.newMat();
            Imgproc.resize(labels, result, size, 0, 0, Imgproc.INTER_NEAREST);
            return scope.detach(result);
        }
    }

    /** Pixels per class of a label map, indexed by {@link FaceRegion#index()}. */
    public static int[] pixelCounts(Mat labels) {
        try (MatScope scope = new MatScope()) {
            Mat histogram = scope.newMat();
            Imgproc.calcHist(
                    List.of(labels),
                    scope.own(new MatOfInt(0)),
                    scope.newMat(),
                    histogram,
                    scope.own(new MatOfInt(CLASS_COUNT)),
                    scope.own(new MatOfFloat(0, CLASS_COUNT)));
            float[] counts = new float[CLASS_COUNT];
            histogram.get(0, 0, counts);
            int[] result = new int[CLASS_COUNT];
            for (int i = 0; i < CLASS_COUNT; i++) {
                result[i] = Math.round(counts[i]);
            }
            return result;
        }
    }

    /**
     * Labels ({@link Group#label()}) of the groups covering at least {@code minPixels} pixels of
     * a label map, in {@link Group} order.
     */
    public static Set<String> regionsPresent(Mat labels, int minPixels) {
        int[] counts = pixelCounts(labels);
        int[] perGroup = new int[Group.values().length];
        for (FaceRegion region : FaceRegion.values()) {
            perGroup[region.group().ordinal()] += counts[region.index()];
        }
        return Arrays.stream(Group.values())
                .filter(group -> perGroup[group.ordinal()] >= minPixels)
                .map(Group::label)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Releases the reused tensors and Mats; the model stays open. */
    @Override
    public void close() {
        inputs.values().forEach(OnnxTensor::close);
        outputs.values().forEach(OnnxTensor::close);
        classMapBytes.release();
        resized.release();
        labels.release();
    }
}
