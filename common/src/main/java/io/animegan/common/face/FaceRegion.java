package io.animegan.common.face;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The 19 CelebAMask-HQ classes of the face-parsing model, declared in the model's class order
 * and named after its class names: {@link #index()} is the value in a label map. {@code L_}/{@code R_}
 * are the person's left and right, so in a photo of someone facing the camera {@code L_EYE} is on
 * the image's right.
 */
public enum FaceRegion {
    BACKGROUND(Group.BACKGROUND),
    SKIN(Group.SKIN),
    L_BROW(Group.BROWS),
    R_BROW(Group.BROWS),
    L_EYE(Group.EYES),
    R_EYE(Group.EYES),
    EYE_G(Group.GLASSES),
    L_EAR(Group.EARS),
    R_EAR(Group.EARS),
    EAR_R(Group.EARS),
    NOSE(Group.NOSE),
    MOUTH(Group.LIPS),
    U_LIP(Group.LIPS),
    L_LIP(Group.LIPS),
    NECK(Group.NECK),
    NECK_L(Group.NECK),
    CLOTH(Group.BACKGROUND),
    HAIR(Group.HAIR),
    HAT(Group.BACKGROUND);

    /**
     * The coarser regions the product works with. Jewellery goes with what it sits on (earrings
     * with the ears, necklaces with the neck) because masks built from a group should cover it;
     * clothes and hats are not part of the face and count as background.
     */
    public enum Group {
        BACKGROUND,
        SKIN,
        BROWS,
        EYES,
        GLASSES,
        EARS,
        NOSE,
        LIPS,
        HAIR,
        NECK;

        /** The name used in events and logs, e.g. {@code "lips"} (mouth and both lips). */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The groups pasted back into the picture: the face with hair and ears, without neck and background. */
    public static final Set<Group> PASTED = EnumSet.of(
            Group.SKIN, Group.BROWS, Group.EYES, Group.GLASSES, Group.EARS, Group.NOSE, Group.LIPS, Group.HAIR);

    private static final FaceRegion[] BY_INDEX = values();

    private final Group group;

    FaceRegion(Group group) {
        this.group = group;
    }

    /** The class index in the model's output. */
    public int index() {
        return ordinal();
    }

    public Group group() {
        return group;
    }

    public static FaceRegion of(int index) {
        if (index < 0 || index >= BY_INDEX.length) {
            throw new IllegalArgumentException("no face-parsing class " + index);
        }
        return BY_INDEX[index];
    }

    public static Group groupOf(int index) {
        return of(index).group;
    }

    /** The class indices of every region in {@code groups}, ascending. */
    public static int[] classesOf(Set<Group> groups) {
        return Arrays.stream(BY_INDEX)
                .filter(region -> groups.contains(region.group))
                .mapToInt(FaceRegion::index)
                .toArray();
    }
}
