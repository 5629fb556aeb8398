package io.animegan.common.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** The one marker walker, as its three users see it: strict check, frame size, Exif orientation. */
class JpegStructureTest {

    @Test
    void oneWalkGivesTheFrameSizeAndTheOrientation() {
        byte[] jpeg = jpeg(false, false);
        JpegStructure.check(jpeg);
        ImageHeader header = ImageHeader.read(jpeg);
        assertThat(header.width()).isEqualTo(640);
        assertThat(header.height()).isEqualTo(480);
        assertThat(ExifOrientation.of(jpeg)).isEqualTo(6);
    }

    @Test
    void garbageBeforeAMarkerFailsTheCheckWhileTheHeaderStillReadsAndTheOrientationStops() {
        byte[] afterExif = jpeg(false, true);
        assertThatThrownBy(() -> JpegStructure.check(afterExif))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("extraneous bytes before a marker");
        assertThat(ImageHeader.read(afterExif).width()).isEqualTo(640);
        assertThat(ExifOrientation.of(afterExif)).isEqualTo(6);
        assertThat(ExifOrientation.of(jpeg(true, false)))
                .as("garbage before the Exif segment")
                .isEqualTo(1);
    }

    /** SOI, [garbage], APP1 Exif (orientation 6), [garbage], SOF0 640x480, SOS, two data bytes, EOI. */
    private static byte[] jpeg(boolean garbageBefore, boolean garbageAfter) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        bytes(out, 0xFF, 0xD8);
        if (garbageBefore) {
            bytes(out, 0x12);
        }
        // APP1: length 2 + "Exif\0\0" (6) + TIFF header (8) + IFD with one entry (2 + 12 + 4)
        bytes(
                out, 0xFF, 0xE1, 0x00, 34, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0,
                3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0);
        if (garbageAfter) {
            bytes(out, 0x12);
        }
        bytes(out, 0xFF, 0xC0, 0x00, 11, 8, 480 >> 8, 480 & 0xFF, 640 >> 8, 640 & 0xFF, 1, 1, 0x11, 0);
        bytes(out, 0xFF, 0xDA, 0x00, 8, 1, 1, 0, 0, 63, 0);
        bytes(out, 0x12, 0x34, 0xFF, 0xD9);
        return out.toByteArray();
    }

    private static void bytes(ByteArrayOutputStream out, int... values) {
        for (int v : values) {
            out.write(v);
        }
    }
}
