package io.animegan.blend;

import io.animegan.events.FaceStyle;

/**
 * The face regions that get their own style strength, as sets of CelebAMask-HQ class indices of
 * the parsing label map (see face-stage's FaceRegion for the class table). Everything else
 * (background, cloth, hat) is left fully stylized.
 */
public enum FacePart {
  /** Skin, nose, ears and neck: one even surface, so it gets one treatment. */
  SKIN(1, 7, 8, 9, 10, 14, 15),
  EYES(4, 5),
  BROWS(2, 3),
  /** Both lips and the inside of the mouth (teeth). */
  LIPS(11, 12, 13),
  HAIR(17),
  GLASSES(6);

  private final int[] classes;

  FacePart(int... classes) {
    this.classes = classes;
  }

  int[] classes() {
    return classes.clone();
  }

  /** Small features: their masks are blurred less so they don't bleed into the skin around them. */
  boolean small() {
    return this == EYES || this == BROWS || this == LIPS;
  }

  /** Whether the photo side of this part is sharpened (the features) rather than smoothed. */
  boolean sharpened() {
    return this == EYES || this == BROWS || this == LIPS || this == GLASSES;
  }

  /** 0 keeps the cleaned-up photo, 1 the generator's output; clamped to 0..1. */
  double strength(FaceStyle style) {
    float value = switch (this) {
      case SKIN -> style.getSkin();
      case EYES -> style.getEyes();
      case BROWS -> style.getBrows();
      case LIPS -> style.getLips();
      case HAIR -> style.getHair();
      case GLASSES -> style.getGlasses();
    };
    return Math.max(0, Math.min(1, value));
  }
}
