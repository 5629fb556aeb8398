package io.animegan.common.style;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.animegan.events.FaceStyle;

/**
 * A style's own defaults for the per-region face strengths, where the schema's defaults (tuned on
 * the first style) look wrong with it. A null field keeps the schema's default; {@code cloneMode} is {@code clone} in JSON.
 */
public record FaceDefaults(
        Float skin,
        Float eyes,
        Float brows,
        Float lips,
        Float hair,
        Float glasses,
        Float sharpen,
        @JsonProperty("clone") String cloneMode) {

    public static final FaceDefaults NONE = new FaceDefaults(null, null, null, null, null, null, null, null);

    /** The schema's defaults with this style's own values laid over them. */
    public FaceStyle faceStyle() {
        FaceStyle style = FaceStyle.newBuilder().build();
        if (skin != null) {
            style.setSkin(skin);
        }
        if (eyes != null) {
            style.setEyes(eyes);
        }
        if (brows != null) {
            style.setBrows(brows);
        }
        if (lips != null) {
            style.setLips(lips);
        }
        if (hair != null) {
            style.setHair(hair);
        }
        if (glasses != null) {
            style.setGlasses(glasses);
        }
        if (sharpen != null) {
            style.setSharpen(sharpen);
        }
        if (cloneMode != null) {
            style.setClone(cloneMode);
        }
        return style;
    }
}
