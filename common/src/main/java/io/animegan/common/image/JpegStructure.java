package io.animegan.common.image;

import io.animegan.common.stage.ErrorCode;

/**
 * The one walker of a JPEG's markers ({@link #walk}), used by {@link ImageHeader} for the frame
 * size and {@link ExifOrientation} for the Exif segment. Walks the markers and entropy-coded scans
 * the way libjpeg reads them, and {@link #check} refuses what
 * libjpeg would only warn about ("Corrupt JPEG data: ... extraneous bytes before marker", "found
 * marker 0x.. instead of RST", an invalid marker). OpenCV's decoder prints such warnings and
 * returns a smeared picture as if nothing happened; this check makes them a CORRUPT_IMAGE failure.
 * A corruption that produces no invalid marker (bits flipped inside the Huffman data) still
 * decodes: JPEG has no checksum to catch it.
 */
final class JpegStructure {

    private static final int EOI = 0xD9;
    static final int SOS = 0xDA;
    private static final int TEM = 0x01;
    private static final int RST0 = 0xD0;
    private static final int RST7 = 0xD7;

    private JpegStructure() {}

    /** What the walk does with a byte where a marker should be. */
    enum OnGarbage {
        /** Refuse the picture, as libjpeg's warnings would (CORRUPT_IMAGE). */
        FAIL,
        /** Step over it and look for the next marker. */
        SKIP,
        /** End the walk there. */
        STOP
    }

    /** Told of each segment that has a length; returns false to end the walk. */
    @FunctionalInterface
    interface SegmentVisitor {
        /**
         * @param at offset of the segment's 0xFF
         * @param length the segment's length field: its bytes after the marker, the length included
         */
        boolean segment(int marker, int at, int length);
    }

    /** Refuses a JPEG whose markers or restart intervals libjpeg would only warn about. */
    static void check(byte[] b) {
        walk(b, OnGarbage.FAIL, (marker, at, length) -> true);
    }

    /**
     * The one walk over a JPEG's markers, from after SOI: fill bytes, standalone markers (TEM, RSTn)
     * and each segment with a length, the entropy-coded data after SOS skipped; it ends at EOI,
     * where the visitor says so, or where the data ends (a failure only with {@link OnGarbage#FAIL}).
     */
    static void walk(byte[] b, OnGarbage onGarbage, SegmentVisitor visitor) {
        boolean strict = onGarbage == OnGarbage.FAIL;
        int i = 2; // after SOI
        while (i + 1 < b.length) {
            if (u8(b, i) != 0xFF) {
                if (onGarbage == OnGarbage.SKIP) {
                    i++;
                    continue;
                }
                if (strict) {
                    throw corrupt("extraneous bytes before a marker at offset " + i);
                }
                return;
            }
            while (i + 1 < b.length && u8(b, i + 1) == 0xFF) {
                i++; // fill bytes
            }
            if (i + 1 >= b.length) {
                break;
            }
            int at = i;
            int marker = u8(b, i + 1);
            i += 2;
            if (marker == EOI) {
                return;
            }
            if (marker == TEM || (marker >= RST0 && marker <= RST7)) {
                continue;
            }
            if (!isSegment(marker)) {
                if (strict) {
                    throw corrupt(String.format("invalid marker 0x%02X at offset %d", marker, at));
                }
                if (onGarbage == OnGarbage.STOP) {
                    return;
                }
                continue;
            }
            if (i + 1 >= b.length) {
                break;
            }
            int length = (u8(b, i) << 8) | u8(b, i + 1);
            if (length < 2) {
                if (strict) {
                    throw corrupt("segment of impossible length " + length + " at offset " + i);
                }
                return;
            }
            if (!visitor.segment(marker, at, length)) {
                return;
            }
            i += length;
            if (marker == SOS) {
                i = endOfScan(b, i, strict);
            }
        }
        if (strict) {
            throw corrupt("JPEG data ends without an end-of-image marker");
        }
    }

    /** Offset of the marker that ends the entropy-coded data starting at {@code i}. */
    private static int endOfScan(byte[] b, int i, boolean strict) {
        int expectedRestart = 0;
        while (i + 1 < b.length) {
            if (u8(b, i) != 0xFF) {
                i++;
                continue;
            }
            int next = u8(b, i + 1);
            if (next == 0x00 || next == 0xFF) {
                i += next == 0x00 ? 2 : 1; // a stuffed 0xFF data byte, or fill before a marker
            } else if (next >= RST0 && next <= RST7) {
                if (strict && next - RST0 != expectedRestart) {
                    throw corrupt(String.format(
                            "found marker 0x%02X instead of RST%d at offset %d", next, expectedRestart, i));
                }
                expectedRestart = (expectedRestart + 1) % 8;
                i += 2;
            } else {
                return i;
            }
        }
        return i;
    }

    /** Markers followed by a length: frame and table headers, restart interval, APPn, comments. */
    private static boolean isSegment(int marker) {
        return (marker >= 0xC0 && marker <= 0xCF)
                || (marker >= SOS && marker <= 0xDF)
                || (marker >= 0xE0 && marker <= 0xEF)
                || marker == 0xFE;
    }

    private static ImageException corrupt(String message) {
        return new ImageException(ErrorCode.CORRUPT_IMAGE, "corrupt JPEG data: " + message);
    }

    static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }
}
