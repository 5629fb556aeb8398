package io.animegan.stylize;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.animegan.common.image.MatScope;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.onnx.OnnxSessionOptions;
import io.animegan.common.stage.ErrorCode;
import io.animegan.common.stage.StageException;
import io.animegan.common.style.ChannelOrder;
import io.animegan.common.style.Style;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Range;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * One style's generator as a translator, driven by its {@link Style}: pre-processing (scale up to
 * the minimum side, pad to the size multiple, 8-bit BGR to the model's channel order and range,
 * NHWC), the model call, post-processing (clamp, back to 8-bit BGR, padding and scaling undone).
 * The output always has the input's size.
 *
 * <p>Not thread-safe: it reuses its tensor buffers between calls ({@link TensorBuffers}). Closing it
 * closes the session.
 */
public final class StyleGenerator implements AutoCloseable {

    /** Longest side the minimum-side scaling may produce, so a thin strip is not blown up without bound. */
    static final int MAX_SCALED_SIDE = 2048;

    private final Style style;
    private final OnnxModel model;
    private final String inputName;
    private final String outputName;
    private final TensorBuffers buffers;

    /** The style's generator from {@code fileName} in {@code modelsDir}, with the process's spinning policy. */
    public static StyleGenerator load(Style style, Path modelsDir, String fileName, int threads) {
        return load(style, modelsDir, fileName, threads, OnnxSessionOptions.spinning());
    }

    /** As {@link #load(Style, Path, String, int)}, with the spinning policy given. */
    public static StyleGenerator load(Style style, Path modelsDir, String fileName, int threads, boolean spinning) {
        return new StyleGenerator(style, OnnxModel.load(modelsDir, fileName, threads, spinning), new TensorBuffers());
    }

    public StyleGenerator(Style style, OnnxModel model) {
        this(style, model, new TensorBuffers());
    }

    /** A generator whose tensors live in {@code buffers}, shared with generators called one at a time with it. */
    StyleGenerator(Style style, OnnxModel model, TensorBuffers buffers) {
        this.style = style;
        this.model = model;
        this.buffers = buffers;
        this.inputName = model.session().getInputNames().iterator().next();
        this.outputName = model.session().getOutputNames().iterator().next();
    }

    public Style style() {
        return style;
    }

    /** The model file this generator runs, which names its inference timer. */
    public String modelName() {
        return model.name();
    }

    /** The picture in this style, same size as {@code bgr}; the caller owns the result. */
    public Mat stylize(Mat bgr) {
        return stylize(bgr, this::run);
    }

    /** The generator call on the prepared tensor: the tiled path runs a {@link SharedStatisticsModel} instead. */
    @FunctionalInterface
    interface ModelCall {
        /** Writes the model's output for {@code input} (NHWC floats, height x width) into {@code output}, of the same size. */
        void run(ByteBuffer input, ByteBuffer output, int height, int width);
    }

    /** As {@link #stylize(Mat)}, with this style's pre- and post-processing around {@code call}. */
    Mat stylize(Mat bgr, ModelCall call) {
        try (MatScope scope = new MatScope()) {
            Mat prepared = prepare(bgr, scope);
            int height = prepared.rows();
            int width = prepared.cols();
            int bytes = Math.multiplyExact(height * width, 3 * Float.BYTES);
            ByteBuffer input = buffers.input(bytes);
            ByteBuffer output = buffers.output(bytes);
            toTensor(prepared, scope.own(new Mat(height, width, CvType.CV_32FC3, input)), scope);
            call.run(input, output, height, width);
            Mat drawn = fromTensor(scope.own(new Mat(height, width, CvType.CV_32FC3, output)), scope);
            return scope.detach(restore(drawn, bgr.size(), scope));
        }
    }

    /** Scaled up to the minimum side if needed, then padded (mirrored) to the size multiple. */
    Mat prepare(Mat bgr, MatScope scope) {
        Mat scaled = bgr;
        Size target = scaledSize(bgr.size());
        if (target != null) {
            scaled = scope.newMat();
            Imgproc.resize(bgr, scaled, target, 0, 0, Imgproc.INTER_CUBIC);
        }
        int multiple = style.sizeMultiple();
        int padBottom = (multiple - scaled.rows() % multiple) % multiple;
        int padRight = (multiple - scaled.cols() % multiple) % multiple;
        if (padBottom == 0 && padRight == 0) {
            return scaled;
        }
        Mat padded = scope.newMat();
        Core.copyMakeBorder(scaled, padded, 0, padBottom, 0, padRight, Core.BORDER_REFLECT_101);
        return padded;
    }

    /** The size the picture is scaled up to for the model, or null when it is large enough. */
    Size scaledSize(Size size) {
        double shorter = Math.min(size.width, size.height);
        double longer = Math.max(size.width, size.height);
        if (style.minSide() <= 0 || shorter >= style.minSide()) {
            return null;
        }
        double factor = Math.min(style.minSide() / shorter, Math.max(1.0, MAX_SCALED_SIDE / longer));
        return factor <= 1.0 ? null : new Size(Math.round(size.width * factor), Math.round(size.height * factor));
    }

    /** Writes the model's input into {@code tensor}, a Mat over the input buffer. */
    private void toTensor(Mat bgr, Mat tensor, MatScope scope) {
        Mat ordered = bgr;
        if (style.channels() == ChannelOrder.RGB) {
            ordered = scope.newMat();
            Imgproc.cvtColor(bgr, ordered, Imgproc.COLOR_BGR2RGB);
        }
        long address = tensor.dataAddr();
        ordered.convertTo(tensor, CvType.CV_32FC3, style.scale(), style.offset());
        if (tensor.dataAddr() != address) {
            throw new IllegalStateException("OpenCV reallocated the tensor instead of writing into it");
        }
    }

    /** One model call from the input buffer into the output buffer (a pinned output, written in place). */
    private void run(ByteBuffer input, ByteBuffer output, int height, int width) {
        long[] shape = {1, height, width, 3};
        try (OnnxTensor in = OnnxTensor.createTensor(model.env(), input.asFloatBuffer(), shape);
                OnnxTensor out = OnnxTensor.createTensor(model.env(), output.asFloatBuffer(), shape);
                OrtSession.Result result = model.run((session, options) ->
                        session.run(Map.of(inputName, in), Set.of(), Map.of(outputName, out), options))) {
            // The values are in the output buffer now.
        } catch (OrtException e) {
            throw new StageException(
                    ErrorCode.MODEL_ERROR,
                    style.id() + " generator failed on " + width + "x" + height + ": " + e.getMessage(),
                    e);
        }
    }

    /** 8-bit BGR from the model's output, {@code floats} being a Mat over the output buffer. */
    private Mat fromTensor(Mat floats, MatScope scope) {
        double min = style.inputRange().get(0);
        double max = style.inputRange().get(1);
        if (!style.outputClipped()) {
            Core.min(floats, new Scalar(max, max, max), floats);
            Core.max(floats, new Scalar(min, min, min), floats);
        }
        Mat pixels = scope.newMat();
        // convertTo to 8 bits rounds and saturates: pixel = clamp(round((v - min) / scale)).
        floats.convertTo(pixels, CvType.CV_8UC3, 1 / style.scale(), -min / style.scale());
        if (style.channels() == ChannelOrder.BGR) {
            return pixels;
        }
        Mat bgr = scope.newMat();
        Imgproc.cvtColor(pixels, bgr, Imgproc.COLOR_RGB2BGR);
        return bgr;
    }

    /** Padding cut off and scaling undone: the result has the caller's size. */
    private Mat restore(Mat drawn, Size original, MatScope scope) {
        Size scaled = scaledSize(original);
        int rows = (int) (scaled != null ? scaled.height : original.height);
        int cols = (int) (scaled != null ? scaled.width : original.width);
        Mat cropped = drawn;
        if (drawn.rows() != rows || drawn.cols() != cols) {
            Mat view = scope.own(drawn.submat(new Range(0, rows), new Range(0, cols)));
            cropped = scope.own(view.clone());
        }
        if (scaled == null) {
            return cropped;
        }
        Mat back = scope.newMat();
        Imgproc.resize(cropped, back, original, 0, 0, Imgproc.INTER_AREA);
        return back;
    }

    @Override
    public void close() {
        model.close();
    }
}
