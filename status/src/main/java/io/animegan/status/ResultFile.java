package io.animegan.status;

import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.MatScope;
import java.util.Set;

/** A finished picture as a file to keep: its format, its name after the upload's, and its bytes in another format. */
public final class ResultFile {

    static final int JPEG_QUALITY = 92;

    private ResultFile() {}

    /** The format the result is stored in: "png" or "jpeg". */
    public static String storedFormat(ImageStatus status) {
        return "image/jpeg".equals(status.resultContentType()) ? "jpeg" : "png";
    }

    public static String contentType(String format) {
        return format.equals("png") ? "image/png" : "image/jpeg";
    }

    /** The stored result's bytes in {@code format}, converted when the stored format differs. */
    public static byte[] converted(ImageStatus status, byte[] stored, String format) {
        if (format.equals(storedFormat(status))) {
            return stored;
        }
        try (MatScope scope = new MatScope()) {
            var picture = scope.own(ImageCodec.decode(stored));
            return format.equals("png") ? ImageCodec.encodePng(picture) : ImageCodec.encodeJpeg(picture, JPEG_QUALITY);
        }
    }

    /** "holiday.jpg" becomes "holiday.anime.png": the upload's name without its extension, then ours. */
    public static String fileName(ImageStatus status, String format) {
        String name = status.name() == null ? status.id() : status.name();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        base = base.replaceAll("[\\p{Cntrl}\"\\\\/:*?<>|]", "_");
        return base + ".anime." + (format.equals("png") ? "png" : "jpg");
    }

    /** {@code name}, or with "-2", "-3"... before ".anime." when it is taken already; adds it to {@code taken}. */
    public static String unique(Set<String> taken, String name) {
        String candidate = name;
        for (int i = 2; !taken.add(candidate); i++) {
            int dot = name.indexOf(".anime.");
            candidate = name.substring(0, dot) + "-" + i + name.substring(dot);
        }
        return candidate;
    }
}
