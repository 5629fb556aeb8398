package io.animegan.common.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.common.testing.TestAssets;
import java.nio.file.Path;
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
}
