package io.animegan.blend;

import io.animegan.common.face.FaceRegion;
import io.animegan.common.face.FaceRegion.Group;
import io.animegan.events.FaceStyle;
import java.util.Arrays;
import java.util.EnumSet;

/**
 * The face regions that get their own style strength, as groups of the parser's
 * {@link FaceRegion}s. Everything else (background, cloth, hat) is left fully stylized.
 */
public enum FacePart {
    /** Skin, nose, ears and neck: one even surface, so it gets one treatment. */
    SKIN(Group.SKIN, Group.NOSE, Group.EARS, Group.NECK),
    EYES(Group.EYES),
    BROWS(Group.BROWS),
    /** Both lips and the inside of the mouth (teeth). */
    LIPS(Group.LIPS),
    HAIR(Group.HAIR),
    GLASSES(Group.GLASSES);

    private final int[] classes;

    FacePart(Group first, Group... rest) {
        this.classes = FaceRegion.classesOf(EnumSet.of(first, rest));
    }

    /** Class indices of the label map that belong to this part. */
    int[] classes() {
        return classes.clone();
    }

    /** Class indices of every part. */
    static int[] allClasses() {
        return Arrays.stream(values())
                .flatMapToInt(part -> Arrays.stream(part.classes))
                .sorted()
                .toArray();
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
