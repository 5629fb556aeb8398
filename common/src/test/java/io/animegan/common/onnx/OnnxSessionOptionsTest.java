package io.animegan.common.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The spinning policy reaches ONNX Runtime's session configuration. */
class OnnxSessionOptionsTest {

    private static final String SPINNING = "session.intra_op.allow_spinning";

    @AfterEach
    void backToTheDefault() {
        OnnxSessionOptions.useSpinning(false);
    }

    @Test
    void idleThreadsSleepUnlessTheProcessSaysOtherwise() throws Exception {
        assertThat(OnnxSessionOptions.spinning()).isFalse();
        try (OrtSession.SessionOptions options = OnnxSessionOptions.create(2)) {
            assertThat(options.getConfigEntries()).containsEntry(SPINNING, "0");
        }
    }

    @Test
    void theProcessPolicyAppliesToSessionsCreatedAfterIt() throws Exception {
        OnnxSessionOptions.useSpinning(true);
        try (OrtSession.SessionOptions options = OnnxSessionOptions.create(2)) {
            assertThat(options.getConfigEntries()).containsEntry(SPINNING, "1");
        }
    }

    @Test
    void aGivenPolicyOverridesTheProcessOne() throws Exception {
        OnnxSessionOptions.useSpinning(true);
        try (OrtSession.SessionOptions options = OnnxSessionOptions.create(2, false)) {
            assertThat(options.getConfigEntries()).containsEntry(SPINNING, "0");
        }
    }
}
