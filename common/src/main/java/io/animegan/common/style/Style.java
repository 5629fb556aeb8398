package io.animegan.common.style;

import java.util.List;

/**
 * One look the service can draw pictures in: a generator model and exactly how to feed it. Read
 * from the catalogue ({@code styles.json}); see the models README for where each value comes from.
 *
 * @param id stable identifier clients send as {@code style}
 * @param name display name
 * @param description one line for people choosing a style
 * @param aliases other ids accepted for this style (older clients' values)
 * @param model float model file in the models directory
 * @param int8Model int8 variant of the same generator, or null when there is none
 * @param channels channel order of the model's input and output
 * @param inputRange {@code [min, max]} the 8-bit pixel range 0..255 is mapped onto, in and out
 * @param outputClipped false when the model's output can leave {@code inputRange} (it is clamped)
 * @param sizeMultiple both input sides must be multiples of this (the generator pads to it)
 * @param minSide shorter input side below which the generator scales the picture up first (0: none)
 * @param faceDefaults per-region face strengths this style needs instead of the schema's
 */
public record Style(
        String id,
        String name,
        String description,
        List<String> aliases,
        String model,
        String int8Model,
        ChannelOrder channels,
        List<Double> inputRange,
        boolean outputClipped,
        int sizeMultiple,
        int minSide,
        FaceDefaults faceDefaults) {

    public Style {
        if (id == null || id.isBlank() || model == null || model.isBlank()) {
            throw new IllegalArgumentException("a style needs an id and a model file: " + id);
        }
        name = name == null ? id : name;
        description = description == null ? "" : description;
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        channels = channels == null ? ChannelOrder.RGB : channels;
        inputRange = inputRange == null ? List.of(-1.0, 1.0) : List.copyOf(inputRange);
        if (inputRange.size() != 2 || !(inputRange.get(0) < inputRange.get(1))) {
            throw new IllegalArgumentException("style " + id + ": inputRange must be [min, max], got " + inputRange);
        }
        sizeMultiple = sizeMultiple > 0 ? sizeMultiple : 8;
        minSide = Math.max(0, minSide);
        faceDefaults = faceDefaults == null ? FaceDefaults.NONE : faceDefaults;
    }

    /** Multiply an 8-bit pixel by this and add {@link #offset()} to get the model's input value. */
    public double scale() {
        return (inputRange.get(1) - inputRange.get(0)) / 255.0;
    }

    public double offset() {
        return inputRange.get(0);
    }

    public boolean answersTo(String idOrAlias) {
        return id.equalsIgnoreCase(idOrAlias) || aliases.stream().anyMatch(a -> a.equalsIgnoreCase(idOrAlias));
    }
}
