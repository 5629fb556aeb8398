package io.animegan.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to make of the pictures submitted; null leaves an option to the service's default.
 *
 * @param styles style ids or aliases (see {@code GET /api/styles}); several give one result per style
 * @param faces whether faces are enhanced
 * @param maxSide the longest side of the results, in pixels
 * @param format {@code png} or {@code jpeg}
 */
public record ImageOptions(List<String> styles, Boolean faces, Integer maxSide, String format) {

    /** Every option left to the service. */
    public static ImageOptions defaults() {
        return new ImageOptions(null, null, null, null);
    }

    public ImageOptions withStyles(String... styles) {
        return new ImageOptions(List.of(styles), faces, maxSide, format);
    }

    public ImageOptions withFaces(boolean faces) {
        return new ImageOptions(styles, faces, maxSide, format);
    }

    public ImageOptions withMaxSide(int maxSide) {
        return new ImageOptions(styles, faces, maxSide, format);
    }

    public ImageOptions withFormat(String format) {
        return new ImageOptions(styles, faces, maxSide, format);
    }

    /** The form fields (and job options) the service reads these from. */
    public Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        if (styles != null && !styles.isEmpty()) {
            fields.put("style", String.join(",", styles));
        }
        if (faces != null) {
            fields.put("faces", faces.toString());
        }
        if (maxSide != null) {
            fields.put("maxSide", maxSide.toString());
        }
        if (format != null) {
            fields.put("format", format);
        }
        return fields;
    }
}
