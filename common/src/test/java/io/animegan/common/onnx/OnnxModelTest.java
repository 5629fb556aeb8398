package io.animegan.common.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import io.animegan.common.testing.TestAssets;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Loads of one file in one JVM share a session, which closes with its last holder. */
class OnnxModelTest {

    /** The smallest model of the pipeline; any file would do. */
    private static final String MODEL = "retinaface-mobilenet0.25.onnx";

    private final Path models = TestAssets.requireModel(MODEL);

    @Test
    void aSecondLoadOfTheSameFileGetsTheSameSession() {
        try (OnnxModel first = OnnxModel.load(models, MODEL, 1, false);
                OnnxModel second = OnnxModel.load(models, MODEL, 1, false)) {
            assertThat(second.session()).isSameAs(first.session());
        }
    }

    @Test
    void theSessionStaysOpenUntilItsLastHolderCloses() throws Exception {
        OnnxModel first = OnnxModel.load(models, MODEL, 1, false);
        OnnxModel second = OnnxModel.load(models, MODEL, 1, false);
        first.close();
        assertThat(second.session().getInputInfo()).isNotEmpty();
        second.close();
        assertThatThrownBy(() -> second.session().getInputInfo()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aLoadAfterTheLastCloseGetsANewSession() {
        OnnxModel first = OnnxModel.load(models, MODEL, 1, false);
        first.close();
        try (OnnxModel again = OnnxModel.load(models, MODEL, 1, false)) {
            assertThat(again.session()).isNotSameAs(first.session());
        }
    }

    @Test
    void closingOneHolderTwiceLetsGoOnce() throws Exception {
        try (OnnxModel kept = OnnxModel.load(models, MODEL, 1, false)) {
            OnnxModel closedTwice = OnnxModel.load(models, MODEL, 1, false);
            closedTwice.close();
            closedTwice.close();
            assertThat(kept.session().getInputInfo()).isNotEmpty();
        }
    }

    @Test
    void otherThreadsOrSpinningGetTheirOwnSession() {
        try (OnnxModel one = OnnxModel.load(models, MODEL, 1, false);
                OnnxModel twoThreads = OnnxModel.load(models, MODEL, 2, false);
                OnnxModel spinning = OnnxModel.load(models, MODEL, 1, true)) {
            assertThat(twoThreads.session()).isNotSameAs(one.session());
            assertThat(spinning.session()).isNotSameAs(one.session());
        }
    }

    @Test
    void aCallWhoseArenaGivesItsBuffersBackAnswersAsOneThatKeepsThem() throws Exception {
        float[] kept = detect(false);
        float[] givenBack = detect(true);
        assertThat(Arrays.equals(givenBack, kept)).as("the same outputs").isTrue();
    }

    /** RetinaFace's boxes for a fixed 320x320 NCHW input, run twice, with the process's arena policy. */
    private float[] detect(boolean shrink) throws Exception {
        OnnxSessionOptions.useArenaShrinkage(shrink);
        try (OnnxModel model = OnnxModel.load(models, MODEL, 1, false)) {
            String input = model.session().getInputNames().iterator().next();
            long[] shape = {1, 3, 320, 320};
            float[] pixels = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (i % 255) / 255f;
            }
            float[] first = null;
            for (int call = 0; call < 2; call++) {
                try (OnnxTensor tensor = OnnxTensor.createTensor(model.env(), FloatBuffer.wrap(pixels), shape);
                        OrtSession.Result result =
                                model.run((session, options) -> session.run(Map.of(input, tensor), options))) {
                    FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
                    float[] values = new float[out.remaining()];
                    out.get(values);
                    if (first != null) {
                        assertThat(Arrays.equals(values, first))
                                .as("the same outputs twice")
                                .isTrue();
                    }
                    first = values;
                }
            }
            return first;
        } finally {
            OnnxSessionOptions.useArenaShrinkage(false);
        }
    }
}
