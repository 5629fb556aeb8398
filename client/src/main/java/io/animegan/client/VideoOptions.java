package io.animegan.client;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What to make of a video clip submitted; null leaves an option to the service's default.
 *
 * @param style a style id or alias (see {@code GET /api/styles})
 * @param maxSide the longest side of the output frames, in pixels
 * @param fps the output frame rate cap; null keeps the clip's rate
 * @param faces whether faces are enhanced
 * @param temporal whether frames are steadied against the previous one (flicker reduction)
 * @param styleSide Fast HD: the longest side the style is drawn at before frames are upsampled
 * @param callbackUrl where the service posts a signed webhook when the clip is done or failed
 */
public record VideoOptions(
        String style,
        Integer maxSide,
        Integer fps,
        Boolean faces,
        Boolean temporal,
        Integer styleSide,
        String callbackUrl) {

    /** Every option left to the service. */
    public static VideoOptions defaults() {
        return new VideoOptions(null, null, null, null, null, null, null);
    }

    public VideoOptions withStyle(String newStyle) {
        return new VideoOptions(newStyle, maxSide, fps, faces, temporal, styleSide, callbackUrl);
    }

    public VideoOptions withMaxSide(int newMaxSide) {
        return new VideoOptions(style, newMaxSide, fps, faces, temporal, styleSide, callbackUrl);
    }

    public VideoOptions withFps(int newFps) {
        return new VideoOptions(style, maxSide, newFps, faces, temporal, styleSide, callbackUrl);
    }

    public VideoOptions withFaces(boolean newFaces) {
        return new VideoOptions(style, maxSide, fps, newFaces, temporal, styleSide, callbackUrl);
    }

    public VideoOptions withTemporal(boolean newTemporal) {
        return new VideoOptions(style, maxSide, fps, faces, newTemporal, styleSide, callbackUrl);
    }

    public VideoOptions withStyleSide(int newStyleSide) {
        return new VideoOptions(style, maxSide, fps, faces, temporal, newStyleSide, callbackUrl);
    }

    public VideoOptions withCallbackUrl(String newCallbackUrl) {
        return new VideoOptions(style, maxSide, fps, faces, temporal, styleSide, newCallbackUrl);
    }

    /** The form fields the service reads these from ({@code temporal} is {@code on} or {@code off}). */
    public Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        put(fields, "style", style);
        put(fields, "maxSide", maxSide);
        put(fields, "fps", fps);
        put(fields, "faces", faces);
        put(fields, "temporal", temporal == null ? null : temporal ? "on" : "off");
        put(fields, "styleSide", styleSide);
        put(fields, "callbackUrl", callbackUrl);
        return fields;
    }

    private static void put(Map<String, String> fields, String name, Object value) {
        if (value != null) {
            fields.put(name, value.toString());
        }
    }
}
