package io.animegan.common.image;

/**
 * The EXIF Orientation tag (0x0112) of a JPEG, read from its first Exif APP1 segment without
 * decoding anything: 1 (as stored) where there is none or it cannot be read, as OpenCV does.
 */
final class ExifOrientation {

    private static final int APP1 = 0xE1;
    private static final int ORIENTATION = 0x0112;

    private ExifOrientation() {}

    static int of(byte[] jpeg) {
        int[] orientation = {1};
        JpegStructure.walk(jpeg, JpegStructure.OnGarbage.STOP, (marker, at, length) -> {
            if (marker == JpegStructure.SOS) {
                return false;
            }
            int body = at + 4;
            if (marker == APP1 && length >= 8 && body + length - 2 <= jpeg.length && isExif(jpeg, body)) {
                orientation[0] = fromTiff(jpeg, body + 6, body + length - 2);
                return false;
            }
            return true;
        });
        return orientation[0];
    }

    /** True when the segment starts with "Exif\0\0" (an APP1 may also hold XMP). */
    private static boolean isExif(byte[] b, int at) {
        return b[at] == 'E'
                && b[at + 1] == 'x'
                && b[at + 2] == 'i'
                && b[at + 3] == 'f'
                && b[at + 4] == 0
                && b[at + 5] == 0;
    }

    /** The tag from IFD0 of the TIFF structure in {@code b[tiff, end)}. */
    private static int fromTiff(byte[] b, int tiff, int end) {
        if (tiff + 8 > end) {
            return 1;
        }
        boolean little = b[tiff] == 'I' && b[tiff + 1] == 'I';
        if (!little && !(b[tiff] == 'M' && b[tiff + 1] == 'M')) {
            return 1;
        }
        long ifd = tiff + u32(b, tiff + 4, little);
        if (ifd + 2 > end) {
            return 1;
        }
        int entries = u16(b, (int) ifd, little);
        for (int e = 0; e < entries; e++) {
            int entry = (int) ifd + 2 + 12 * e;
            if (entry + 12 > end) {
                return 1;
            }
            if (u16(b, entry, little) == ORIENTATION) {
                return u16(b, entry + 8, little);
            }
        }
        return 1;
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static int u16(byte[] b, int i, boolean little) {
        return little ? u8(b, i) | (u8(b, i + 1) << 8) : (u8(b, i) << 8) | u8(b, i + 1);
    }

    private static long u32(byte[] b, int i, boolean little) {
        return little
                ? (u16(b, i, true) | ((long) u16(b, i + 2, true) << 16))
                : (((long) u16(b, i, false) << 16) | u16(b, i + 2, false));
    }
}
