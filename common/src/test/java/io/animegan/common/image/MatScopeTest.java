package io.animegan.common.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

class MatScopeTest {

    @Test
    void releasesEveryOwnedMatEvenWhenTheStepThrows() {
        Mat[] seen = new Mat[2];
        assertThatThrownBy(() -> {
                    try (MatScope scope = new MatScope()) {
                        seen[0] = scope.own(new Mat(64, 64, CvType.CV_8UC3));
                        seen[1] = scope.newMat();
                        throw new IllegalStateException("step failed");
                    }
                })
                .hasMessage("step failed");
        assertThat(seen[0].empty()).isTrue();
        assertThat(seen[1].empty()).isTrue();
    }

    @Test
    void aDetachedMatOutlivesTheScope() {
        Mat kept;
        try (MatScope scope = new MatScope()) {
            kept = scope.detach(scope.own(new Mat(8, 8, CvType.CV_8UC1)));
        }
        assertThat(kept.empty()).isFalse();
        kept.release();
    }
}
