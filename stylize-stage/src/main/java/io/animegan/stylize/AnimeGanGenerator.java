package io.animegan.stylize;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.animegan.common.image.OpenCv;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.onnx.Tensors;
import io.animegan.common.stage.ErrorCode;
import io.animegan.common.stage.StageException;
import java.nio.FloatBuffer;
import java.util.Map;
import org.opencv.core.Mat;

/**
 * The AnimeGANv2 generator as a translator: pre-processing (BGR 8-bit to NHWC RGB in [-1, 1]),
 * the model call, post-processing (back to 8-bit BGR). Input sides must be multiples of 8 for the
 * output to keep the input size (see {@link OutputSize}).
 *
 * <p>Not thread-safe: it reuses its input buffer between calls. A stage uses one per stream thread.
 */
public final class AnimeGanGenerator {

  static {
    OpenCv.load();
  }

  private final OnnxModel model;
  private final String inputName;
  private float[] input;

  public AnimeGanGenerator(OnnxModel model) {
    this.model = model;
    this.inputName = model.session().getInputNames().iterator().next();
  }

  public Mat stylize(Mat bgr) {
    int height = bgr.rows();
    int width = bgr.cols();
    if (height % OutputSize.MULTIPLE != 0 || width % OutputSize.MULTIPLE != 0) {
      throw new IllegalArgumentException("generator input must be a multiple of 8 on both sides, got " + width + "x" + height);
    }
    input = Tensors.bgrToNhwcRgb(bgr, 1 / 127.5, -1.0, input);
    float[] output = run(input, height, width);
    return Tensors.nhwcRgbToBgr(output, height, width, 127.5, 127.5);
  }

  private float[] run(float[] data, int height, int width) {
    long[] shape = {1, height, width, 3};
    try (OnnxTensor tensor = OnnxTensor.createTensor(model.env(), FloatBuffer.wrap(data), shape);
         OrtSession.Result result = model.run(session -> session.run(Map.of(inputName, tensor)))) {
      FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
      if (out.remaining() != data.length) {
        throw new StageException(ErrorCode.MODEL_ERROR, "generator returned " + out.remaining() + " values for " + data.length);
      }
      float[] values = new float[out.remaining()];
      out.get(values);
      return values;
    } catch (OrtException e) {
      throw new StageException(ErrorCode.MODEL_ERROR, "generator failed on " + width + "x" + height + ": " + e.getMessage(), e);
    }
  }
}
