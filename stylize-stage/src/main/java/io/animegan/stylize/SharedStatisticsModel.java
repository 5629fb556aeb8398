package io.animegan.stylize;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.animegan.common.onnx.OnnxSessionOptions;
import io.animegan.common.stage.ErrorCode;
import io.animegan.common.stage.StageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A session of a generator rewritten by {@link LayerNormGraph}: draws a picture either with its
 * own layer statistics or with statistics given, and reports the statistics it saw. Not
 * thread-safe; closing it closes the session.
 */
final class SharedStatisticsModel implements AutoCloseable {

    /** Shape of one layer statistic, as the graph keeps it. */
    private static final long[] SCALAR = {1, 1, 1, 1};

    private final OrtEnvironment env;
    private final OrtSession session;
    private final OrtSession.RunOptions runOptions;
    private final LayerNormGraph graph;
    private final String inputName;

    private SharedStatisticsModel(
            OrtEnvironment env,
            OrtSession session,
            OrtSession.RunOptions runOptions,
            LayerNormGraph graph,
            String inputName) {
        this.env = env;
        this.session = session;
        this.runOptions = runOptions;
        this.graph = graph;
        this.inputName = inputName;
    }

    /** The model in {@code file} with shared statistics, or empty when its graph has normalisations {@link LayerNormGraph} does not know. */
    static Optional<SharedStatisticsModel> load(Path file, int threads) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Optional<LayerNormGraph> graph = LayerNormGraph.of(bytes);
        if (graph.isEmpty()) {
            return Optional.empty();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = OnnxSessionOptions.create(threads)) {
            OrtSession session = env.createSession(graph.get().sharedStatisticsModel(), options);
            String input = session.getInputNames().stream()
                    .filter(n -> !n.startsWith("shared_"))
                    .findFirst()
                    .orElseThrow();
            OrtSession.RunOptions runOptions;
            try {
                runOptions = OnnxSessionOptions.runOptions();
            } catch (OrtException | RuntimeException e) {
                session.close();
                throw e;
            }
            return Optional.of(new SharedStatisticsModel(env, session, runOptions, graph.get(), input));
        } catch (OrtException e) {
            throw new IllegalStateException(
                    "cannot load the shared-statistics form of " + file + ": " + e.getMessage(), e);
        }
    }

    int layers() {
        return graph.layers();
    }

    /**
     * Draws {@code input} (NHWC floats, {@code height} x {@code width}, the generator's range) into
     * {@code output}; with {@code shared} null every layer norm uses its own statistics (the
     * original model), otherwise those given. Returns the statistics the layer norms computed.
     */
    LayerStatistics run(ByteBuffer input, ByteBuffer output, int height, int width, LayerStatistics shared) {
        List<OnnxTensor> tensors = new ArrayList<>();
        try {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put(inputName, add(tensors, OnnxTensor.createTensor(env, input.asFloatBuffer(), new long[] {
                1, height, width, 3
            })));
            inputs.put(LayerNormGraph.SHARED, add(tensors, OnnxTensor.createTensor(env, shared == null ? 0f : 1f)));
            for (int i = 0; i < graph.layers(); i++) {
                float mean = shared == null ? 0f : (float) shared.mean()[i];
                float variance = shared == null ? 1f : (float) shared.variance()[i];
                inputs.put(
                        LayerNormGraph.mean(i),
                        add(tensors, OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {mean}), SCALAR)));
                inputs.put(
                        LayerNormGraph.variance(i),
                        add(tensors, OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {variance}), SCALAR)));
            }
            try (OrtSession.Result result = session.run(inputs, runOptions)) {
                FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
                FloatBuffer target = output.asFloatBuffer();
                if (out.remaining() != target.remaining()) {
                    throw new StageException(
                            ErrorCode.MODEL_ERROR,
                            "generator returned " + out.remaining() + " values for " + target.remaining());
                }
                target.put(out);
                double[] mean = new double[graph.layers()];
                double[] variance = new double[graph.layers()];
                for (int i = 0; i < graph.layers(); i++) {
                    mean[i] = scalar(result, graph.ownMean(i));
                    variance[i] = scalar(result, graph.ownVariance(i));
                }
                return new LayerStatistics(mean, variance);
            }
        } catch (OrtException e) {
            throw new StageException(
                    ErrorCode.MODEL_ERROR, "generator failed on " + width + "x" + height + ": " + e.getMessage(), e);
        } finally {
            tensors.forEach(OnnxTensor::close);
        }
    }

    private static OnnxTensor add(List<OnnxTensor> owned, OnnxTensor tensor) {
        owned.add(tensor);
        return tensor;
    }

    private static double scalar(OrtSession.Result result, String name) {
        return ((OnnxTensor) result.get(name).orElseThrow()).getFloatBuffer().get(0);
    }

    @Override
    public void close() {
        runOptions.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
