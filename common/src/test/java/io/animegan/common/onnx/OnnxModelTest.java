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
import java.util.concurrent.TimeUnit;
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
        float[] kept = detect(ArenaPolicy.KEEP);
        float[] givenBack = detect(ArenaPolicy.SHRINK);
        assertThat(Arrays.equals(givenBack, kept)).as("the same outputs").isTrue();
    }

    @Test
    void anArenaIsGivenBackOnceItsSessionHasBeenIdleLongEnoughThenCallsAnswerAsBefore() throws Exception {
        try (OnnxModel model = OnnxModel.load(models, MODEL, 1, false)) {
            long before = System.nanoTime();
            float[] first = detect(model);
            long idle = TimeUnit.SECONDS.toNanos(OnnxModel.IDLE_RELEASE_SECONDS);
            assertThat(OnnxModel.releaseIdleArenas(before + idle / 2))
                    .as("not idle yet")
                    .isZero();
            assertThat(OnnxModel.releaseIdleArenas(System.nanoTime() + idle))
                    .as("idle")
                    .isEqualTo(1);
            assertThat(OnnxModel.releaseIdleArenas(System.nanoTime() + 2 * idle))
                    .as("nothing held since")
                    .isZero();
            assertThat(Arrays.equals(detect(model), first))
                    .as("the same outputs after")
                    .isTrue();
        }
    }

    @Test
    void aCallOnAnEmptyArenaFirstHasTheIdleOthersGiveTheirsBack() throws Exception {
        OnnxSessionOptions.useArenaPolicy(ArenaPolicy.RELEASE_WHEN_IDLE);
        try (OnnxModel one = OnnxModel.load(models, MODEL, 1, false);
                OnnxModel other = OnnxModel.load(models, MODEL, 2, false)) {
            detect(one);
            assertThat(one.holdsArena()).isTrue();
            detect(other);
            assertThat(one.holdsArena()).as("given back when the other started").isFalse();
            assertThat(other.holdsArena()).isTrue();
            detect(one);
            assertThat(other.holdsArena()).as("given back in turn").isFalse();
            detect(one);
            assertThat(one.holdsArena())
                    .as("a model called again keeps its buffers")
                    .isTrue();
        } finally {
            OnnxSessionOptions.useArenaPolicy(ArenaPolicy.KEEP);
        }
    }

    @Test
    void theReleaseCallFixesFreeDimensionsSmall() {
        assertThat(ArenaRelease.smallest(new long[] {-1, -1, -1, 3})).containsExactly(1, 64, 64, 3);
        assertThat(ArenaRelease.smallest(new long[] {1, 3, 640, 640})).containsExactly(1, 3, 640, 640);
        assertThat(ArenaRelease.smallest(new long[] {-1, -1, -1, -1})).containsExactly(1, 3, 64, 64);
    }

    /** RetinaFace's boxes for a fixed 320x320 NCHW input, run twice, with this arena policy. */
    private float[] detect(ArenaPolicy policy) throws Exception {
        OnnxSessionOptions.useArenaPolicy(policy);
        try (OnnxModel model = OnnxModel.load(models, MODEL, 1, false)) {
            float[] first = detect(model);
            assertThat(Arrays.equals(detect(model), first))
                    .as("the same outputs twice")
                    .isTrue();
            return first;
        } finally {
            OnnxSessionOptions.useArenaPolicy(ArenaPolicy.KEEP);
        }
    }

    /** RetinaFace's boxes for a fixed 320x320 NCHW input. */
    private static float[] detect(OnnxModel model) throws Exception {
        String input = model.session().getInputNames().iterator().next();
        long[] shape = {1, 3, 320, 320};
        float[] pixels = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (i % 255) / 255f;
        }
        try (OnnxTensor tensor = OnnxTensor.createTensor(model.env(), FloatBuffer.wrap(pixels), shape);
                OrtSession.Result result =
                        model.run((session, options) -> session.run(Map.of(input, tensor), options))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] values = new float[out.remaining()];
            out.get(values);
            return values;
        }
    }
}
