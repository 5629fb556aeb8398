package io.animegan.video;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.testing.TestAssets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.imgproc.Imgproc;

/**
 * An AnimeGANv3 generator through the ONNX Runtime Java API with the pre- and post-processing of
 * the models README (RGB, [-1, 1], NHWC, sides padded by mirroring to the model's multiple).
 * stylize-stage's StyleGenerator is not used: that module will depend on this one to draw
 * segments, so this one must not depend on it.
 */
final class OnnxStylizer implements FrameStylizer, AutoCloseable {

    private final OnnxModel model;
    private final int multiple;
    private long nanos;
    private int calls;

    OnnxStylizer(String file, int multiple, int threads) {
        this.model = OnnxModel.load(TestAssets.requireModel(file), file, threads);
        this.multiple = multiple;
    }

    @Override
    public Mat stylize(Mat bgr) {
        long start = System.nanoTime();
        try (TrackedMats mats = new TrackedMats()) {
            int padBottom = (multiple - bgr.rows() % multiple) % multiple;
            int padRight = (multiple - bgr.cols() % multiple) % multiple;
            Mat padded = mats.newMat();
            Core.copyMakeBorder(bgr, padded, 0, padBottom, 0, padRight, Core.BORDER_REFLECT_101);
            Mat rgb = mats.newMat();
            Imgproc.cvtColor(padded, rgb, Imgproc.COLOR_BGR2RGB);
            int h = rgb.rows();
            int w = rgb.cols();
            ByteBuffer input = ByteBuffer.allocateDirect(h * w * 3 * 4).order(ByteOrder.nativeOrder());
            rgb.convertTo(mats.own(new Mat(h, w, CvType.CV_32FC3, input)), CvType.CV_32FC3, 1 / 127.5, -1);
            long[] shape = {1, h, w, 3};
            ByteBuffer output = ByteBuffer.allocateDirect(h * w * 3 * 4).order(ByteOrder.nativeOrder());
            try (OnnxTensor in = OnnxTensor.createTensor(model.env(), input.asFloatBuffer(), shape);
                    OnnxTensor out = OnnxTensor.createTensor(model.env(), output.asFloatBuffer(), shape);
                    OrtSession.Result result = model.session().run(Map.of("input", in), Map.of("output", out))) {
                // written into `output`
            } catch (OrtException e) {
                throw new IllegalStateException(e);
            }
            Mat pixels = mats.newMat();
            mats.own(new Mat(h, w, CvType.CV_32FC3, output)).convertTo(pixels, CvType.CV_8UC3, 127.5, 127.5);
            Mat back = mats.newMat();
            Imgproc.cvtColor(pixels, back, Imgproc.COLOR_RGB2BGR);
            Mat crop = back.submat(new Rect(0, 0, bgr.cols(), bgr.rows()));
            Mat result = crop.clone();
            crop.release();
            return result;
        } finally {
            nanos += System.nanoTime() - start;
            calls++;
        }
    }

    double millisPerFrame() {
        return nanos / 1e6 / Math.max(1, calls);
    }

    @Override
    public void close() {
        model.close();
    }
}
