package io.animegan.common.face;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The 19 CelebAMask-HQ classes of the face-parsing model, declared in the model's class order:
 * {@link #index()} is the value in a label map. {@code L_}/{@code R_} are the person's left and
 * right, so in a photo of someone facing the camera {@code L_EYE} is on the image's right.
 */
public enum FaceRegion {
  BACKGROUND("background", Group.BACKGROUND),
  SKIN("skin", Group.SKIN),
  L_BROW("l_brow", Group.BROWS),
  R_BROW("r_brow", Group.BROWS),
  L_EYE("l_eye", Group.EYES),
  R_EYE("r_eye", Group.EYES),
  EYE_G("eye_g", Group.GLASSES),
  L_EAR("l_ear", Group.EARS),
  R_EAR("r_ear", Group.EARS),
  EAR_R("ear_r", Group.EARS),
  NOSE("nose", Group.NOSE),
  MOUTH("mouth", Group.LIPS),
  U_LIP("u_lip", Group.LIPS),
  L_LIP("l_lip", Group.LIPS),
  NECK("neck", Group.NECK),
  NECK_L("neck_l", Group.NECK),
  CLOTH("cloth", Group.BACKGROUND),
  HAIR("hair", Group.HAIR),
  HAT("hat", Group.BACKGROUND);

  /**
   * The coarser regions the product works with. Jewellery goes with what it sits on (earrings
   * with the ears, necklaces with the neck) because masks built from a group should cover it;
   * clothes and hats are not part of the face and count as background.
   */
  public enum Group {
    BACKGROUND, SKIN, BROWS, EYES, GLASSES, EARS, NOSE, LIPS, HAIR, NECK;

    /** The name used in events and logs, e.g. {@code "lips"} (mouth and both lips). */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The groups pasted back into the picture: the face with hair and ears, without neck and background. */
  public static final Set<Group> PASTED = EnumSet.of(
      Group.SKIN, Group.BROWS, Group.EYES, Group.GLASSES, Group.EARS, Group.NOSE, Group.LIPS, Group.HAIR);

  private static final FaceRegion[] BY_INDEX = values();

  private final String className;
  private final Group group;

  FaceRegion(String className, Group group) {
    this.className = className;
    this.group = group;
  }

  /** The class index in the model's output. */
  public int index() {
    return ordinal();
  }

  /** The CelebAMask-HQ class name, e.g. {@code "l_eye"}. */
  public String className() {
    return className;
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
    return Arrays.stream(BY_INDEX).filter(region -> groups.contains(region.group)).mapToInt(FaceRegion::index).toArray();
  }
}
