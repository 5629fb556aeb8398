package io.animegan.submission;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * What a file's first bytes say it is, never its name or declared type: an MP4/MOV clip (an
 * {@code ftyp} box at offset 4 whose brand is not a still picture's), a Matroska/WebM clip (the
 * EBML magic {@code 1A 45 DF A3}), or a still picture (JPEG, PNG, WebP, BMP, GIF, HEIF/AVIF).
 * Whether the clip decodes is for the probe downstream to find out.
 */
public enum VideoContainer {
    MP4("video/mp4"),
    QUICKTIME("video/quicktime"),
    WEBM("video/webm"),
    MATROSKA("video/x-matroska");

    /** Bytes of a file's head enough to tell: the ftyp box's size, type and major brand, or the EBML header. */
    public static final int HEAD_BYTES = 64;

    /** Major brands of ISO-BMFF files that hold still pictures (HEIF, AVIF), not clips. */
    private static final Set<String> STILL_BRANDS = Set.of("heic", "heix", "heim", "heis", "mif1", "msf1", "avif");

    private final String contentType;

    VideoContainer(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /** The clip's container, or empty when the head is not a clip's. */
    public static Optional<VideoContainer> sniff(byte[] head) {
        if (isIsoMedia(head)) {
            String brand = ascii(head, 8, 4);
            if (STILL_BRANDS.contains(brand)) {
                return Optional.empty();
            }
            return Optional.of(brand.equals("qt  ") ? QUICKTIME : MP4);
        }
        if (head.length >= 4
                && (head[0] & 0xFF) == 0x1A
                && (head[1] & 0xFF) == 0x45
                && (head[2] & 0xFF) == 0xDF
                && (head[3] & 0xFF) == 0xA3) {
            // The EBML header names its DocType ("webm" or "matroska") within its first few dozen bytes.
            return Optional.of(ascii(head, 4, head.length - 4).contains("webm") ? WEBM : MATROSKA);
        }
        return Optional.empty();
    }

    /** Whether the head is a still picture's: such a file sent as a clip gets a hint to use the image route. */
    public static boolean isPicture(byte[] head) {
        if (isIsoMedia(head)) {
            return STILL_BRANDS.contains(ascii(head, 8, 4));
        }
        return startsWith(head, 0xFF, 0xD8, 0xFF)
                || startsWith(head, 0x89, 'P', 'N', 'G')
                || startsWith(head, 'G', 'I', 'F', '8')
                || startsWith(head, 'B', 'M')
                || (startsWith(head, 'R', 'I', 'F', 'F') && ascii(head, 8, 4).equals("WEBP"));
    }

    private static boolean isIsoMedia(byte[] head) {
        return head.length >= 12 && ascii(head, 4, 4).equals("ftyp");
    }

    private static boolean startsWith(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] bytes, int from, int length) {
        int end = Math.min(bytes.length, from + Math.max(0, length));
        return from >= end ? "" : new String(bytes, from, end - from, StandardCharsets.ISO_8859_1);
    }
}
