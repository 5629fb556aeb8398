package io.animegan.common.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The spinning policy reaches ONNX Runtime's session configuration; when huge pages count as there. */
class OnnxSessionOptionsTest {

    private static final String SPINNING = "session.intra_op.allow_spinning";

    @AfterEach
    void backToTheDefault() {
        OnnxSessionOptions.useSpinning(false);
        OnnxSessionOptions.useArenaShrinkage(false);
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

    @Test
    void arenasKeepTheirBuffersUnlessTheProcessSaysOtherwise() {
        assertThat(OnnxSessionOptions.arenaShrinkage()).isFalse();
        OnnxSessionOptions.useArenaShrinkage(true);
        assertThat(OnnxSessionOptions.arenaShrinkage()).isTrue();
    }

    @Test
    void mallocHasHugePagesWhenGlibcIsAskedForThemOrTheKernelGivesThemToAll() {
        String madvise = "always [madvise] never\n";
        assertThat(OnnxSessionOptions.mallocHugePages("glibc.malloc.hugetlb=1", madvise))
                .isTrue();
        assertThat(OnnxSessionOptions.mallocHugePages("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2", madvise))
                .isTrue();
        assertThat(OnnxSessionOptions.mallocHugePages("", "[always] madvise never\n"))
                .isTrue();
        assertThat(OnnxSessionOptions.mallocHugePages("", madvise)).isFalse();
        assertThat(OnnxSessionOptions.mallocHugePages("glibc.malloc.hugetlb=0", madvise))
                .isFalse();
        assertThat(OnnxSessionOptions.mallocHugePages("glibc.malloc.hugetlb=1", ""))
                .isTrue();
    }
}
