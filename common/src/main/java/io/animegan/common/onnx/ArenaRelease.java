package io.animegan.common.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives back what a session's CPU arena holds. ONNX Runtime shrinks an arena only at the end of a
 * call made with the shrinkage run option, so this makes the smallest call the model accepts: zeros,
 * with every free dimension at its smallest useful size.
 */
final class ArenaRelease {

    /** A free spatial dimension's size in the release call: small, and a multiple of what generators need. */
    private static final long SIDE = 64;

    private ArenaRelease() {}

    /**
     * Makes the release call on {@code session}; false when its inputs are not all float tensors,
     * for which no such call is made.
     */
    static boolean giveBack(OrtEnvironment env, OrtSession session) throws OrtException {
        List<OnnxTensor> tensors = new ArrayList<>();
        try (OrtSession.RunOptions shrink = OnnxSessionOptions.runOptions(true)) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            for (Map.Entry<String, NodeInfo> input : session.getInputInfo().entrySet()) {
                if (!(input.getValue().getInfo() instanceof TensorInfo info) || info.type != OnnxJavaType.FLOAT) {
                    return false;
                }
                long[] shape = smallest(info.getShape());
                OnnxTensor zeros = OnnxTensor.createTensor(env, FloatBuffer.allocate(elements(shape)), shape);
                tensors.add(zeros);
                inputs.put(input.getKey(), zeros);
            }
            try (OrtSession.Result ignored = session.run(inputs, shrink)) {
                return true;
            }
        } finally {
            tensors.forEach(OnnxTensor::close);
        }
    }

    /**
     * The shape with its free dimensions fixed: the batch (first) at 1, the others at {@link #SIDE},
     * but for a picture's colour channels. The models are all picture models: a 4-D input whose
     * second and last dimensions are both free is channels-first (NCHW), with 3 channels.
     */
    static long[] smallest(long[] shape) {
        long[] fixed = shape.clone();
        boolean freeChannelsFirst = fixed.length == 4 && fixed[1] < 0 && fixed[3] < 0;
        for (int i = 0; i < fixed.length; i++) {
            if (fixed[i] < 0) {
                fixed[i] = i == 0 ? 1 : i == 1 && freeChannelsFirst ? 3 : SIDE;
            }
        }
        return fixed;
    }

    private static int elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }
}
