package io.animegan.common.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.common.face.FaceRegion.Group;
import org.junit.jupiter.api.Test;

class FaceRegionTest {

    @Test
    void classesFollowTheModelOrder() {
        assertThat(FaceRegion.values()).hasSize(19);
        assertThat(FaceRegion.of(4)).isEqualTo(FaceRegion.L_EYE);
        assertThat(FaceRegion.of(6)).isEqualTo(FaceRegion.EYE_G);
        assertThat(FaceRegion.of(17)).isEqualTo(FaceRegion.HAIR);
        assertThat(FaceRegion.HAT.index()).isEqualTo(18);
        assertThatThrownBy(() -> FaceRegion.of(19)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void groupsJoinLeftAndRightAndTheMouthParts() {
        assertThat(FaceRegion.groupOf(2)).isEqualTo(FaceRegion.groupOf(3)).isEqualTo(Group.BROWS);
        assertThat(FaceRegion.groupOf(11)).isEqualTo(FaceRegion.groupOf(13)).isEqualTo(Group.LIPS);
        assertThat(FaceRegion.groupOf(16)).isEqualTo(Group.BACKGROUND);
        assertThat(Group.GLASSES.label()).isEqualTo("glasses");
    }

    @Test
    void thePastedFaceIsEverythingButNeckAndBackground() {
        assertThat(FaceRegion.classesOf(FaceRegion.PASTED))
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 17);
    }

    @Test
    void lengthsScaleWithTheCrop() {
        assertThat(FaceTemplate.scaled(12, FaceTemplate.CROP_SIZE)).isEqualTo(12);
        assertThat(FaceTemplate.scaled(12, 256)).isEqualTo(6);
    }
}
