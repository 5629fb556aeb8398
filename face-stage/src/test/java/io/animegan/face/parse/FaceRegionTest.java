package io.animegan.face.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.face.parse.FaceRegion.Group;
import org.junit.jupiter.api.Test;

class FaceRegionTest {

  @Test
  void classesFollowTheModelOrder() {
    assertThat(FaceRegion.values()).hasSize(19);
    assertThat(FaceRegion.of(4).className()).isEqualTo("l_eye");
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
}
