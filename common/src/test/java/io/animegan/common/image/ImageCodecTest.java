package io.animegan.common.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.common.stage.ErrorCode;
import io.animegan.common.testing.TestAssets;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

class ImageCodecTest {

    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    @Test
    void readsFormatAndSizeFromTheHeaderAlone() {
        ImageHeader jpeg = ImageHeader.read(TestAssets.sampleBytes("couple-oranges.jpg"));
        assertThat(jpeg).isEqualTo(new ImageHeader(ImageFormat.JPEG, 853, 1280));
        Mat picture = new Mat(30, 50, CvType.CV_8UC3, new Scalar(10, 20, 30));
        assertThat(ImageHeader.read(ImageCodec.encodePng(picture))).isEqualTo(new ImageHeader(ImageFormat.PNG, 50, 30));
        assertThat(ImageHeader.read(encode(".webp", picture))).isEqualTo(new ImageHeader(ImageFormat.WEBP, 50, 30));
        assertThat(ImageHeader.read(encode(".bmp", picture))).isEqualTo(new ImageHeader(ImageFormat.BMP, 50, 30));
    }

    @Test
    void pngKeepsEveryPixelAndChannel() {
        try (MatScope scope = new MatScope()) {
            for (int type : new int[] {CvType.CV_8UC3, CvType.CV_8UC4}) {
                Mat picture = scope.own(new Mat(37, 53, type));
                Core.randu(picture, 0, 256);
                Mat decoded = scope.own(ImageCodec.decodeInternal(ImageCodec.encodePng(picture)));
                assertThat(decoded.type()).isEqualTo(type);
                assertThat(Core.norm(picture, decoded, Core.NORM_INF)).isZero();
            }
        }
    }

    @Test
    void refusesWhatIsNotAnImage() {
        assertThatThrownBy(() -> ImageHeader.read("hello, this is text".getBytes()))
                .isInstanceOfSatisfying(
                        ImageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_FORMAT));
    }

    @Test
    void refusesATruncatedJpegThatOpenCvWouldQuietlyFillWithGrey() {
        byte[] photo = TestAssets.sampleBytes("group-of-three.jpg");
        byte[] half = Arrays.copyOf(photo, photo.length / 2);
        assertThat(Imgcodecs.imdecode(new MatOfByte(half), Imgcodecs.IMREAD_COLOR)
                        .empty())
                .as("OpenCV alone accepts it")
                .isFalse();
        assertThatThrownBy(() -> ImageCodec.decode(half))
                .isInstanceOfSatisfying(
                        ImageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_IMAGE));
        assertThat(ImageCodec.decode(photo).size()).isEqualTo(new org.opencv.core.Size(900, 900));
    }

    @Test
    void refusesAJpegWithACorruptedMiddleThatOpenCvDecodesWithOnlyAWarning() {
        byte[] photo = TestAssets.sampleBytes("group-of-three.jpg");
        byte[] corrupted = photo.clone();
        java.util.Random random = new java.util.Random(42);
        for (int i = photo.length / 2; i < photo.length / 2 + 2000; i++) {
            corrupted[i] = (byte) random.nextInt(256);
        }
        assertThat(Imgcodecs.imdecode(new MatOfByte(corrupted), Imgcodecs.IMREAD_COLOR)
                        .empty())
                .as("OpenCV alone accepts it")
                .isFalse();
        assertThatThrownBy(() -> ImageCodec.decode(corrupted)).isInstanceOfSatisfying(ImageException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_IMAGE);
            assertThat(e.getMessage()).startsWith("corrupt JPEG data");
        });
    }

    @Test
    void acceptsEveryWellFormedJpegLayout() {
        for (String sample : new String[] {
            "group-of-three.jpg", "couple-oranges.jpg", "portrait-headphones.jpg", "street-railway.jpg"
        }) {
            assertThat(ImageCodec.decode(TestAssets.sampleBytes(sample)).empty())
                    .as(sample)
                    .isFalse();
        }
        Mat picture = new Mat(200, 300, CvType.CV_8UC3);
        org.opencv.core.Core.randu(picture, 0, 255);
        byte[] restarts = encode(".jpg", picture, Imgcodecs.IMWRITE_JPEG_RST_INTERVAL, 1);
        byte[] progressive = encode(".jpg", picture, Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1);
        byte[] grey = encode(".jpg", new Mat(64, 48, CvType.CV_8UC1, Scalar.all(90)));
        for (byte[] jpeg : new byte[][] {restarts, progressive, grey}) {
            assertThat(ImageCodec.decode(jpeg).size())
                    .isIn(new org.opencv.core.Size(300, 200), new org.opencv.core.Size(48, 64));
        }
        // Restart markers out of order are what libjpeg warns about.
        byte[] swapped = restarts.clone();
        int first = indexOf(swapped, (byte) 0xD0);
        int second = indexOf(swapped, (byte) 0xD1);
        swapped[first] = (byte) 0xD1;
        swapped[second] = (byte) 0xD0;
        assertThatThrownBy(() -> ImageCodec.decode(swapped)).hasMessageContaining("instead of RST0");
    }

    /** Index of the marker byte after 0xFF. */
    private static int indexOf(byte[] b, byte marker) {
        for (int i = 0; i + 1 < b.length; i++) {
            if (b[i] == (byte) 0xFF && b[i + 1] == marker) {
                return i + 1;
            }
        }
        throw new AssertionError("no marker");
    }

    private static byte[] encode(String extension, Mat picture, int param, int value) {
        MatOfByte out = new MatOfByte();
        Imgcodecs.imencode(extension, picture, out, new MatOfInt(param, value));
        return out.toArray();
    }

    @Test
    void honoursTheExifOrientation() {
        // A landscape JPEG whose EXIF says "rotate 90° clockwise to display" decodes as portrait.
        byte[] landscape = ImageCodec.encodeJpeg(new Mat(40, 80, CvType.CV_8UC3, new Scalar(200, 100, 50)), 90);
        byte[] rotated = withExifOrientation(landscape, 6);
        assertThat(ImageHeader.read(rotated).width()).isEqualTo(80);
        Mat decoded = ImageCodec.decode(rotated);
        assertThat(decoded.cols()).isEqualTo(40);
        assertThat(decoded.rows()).isEqualTo(80);
    }

    @Test
    void theUprightSizeWithoutDecodingIsTheDecodedSizeForEveryExifOrientation() {
        byte[] landscape = ImageCodec.encodeJpeg(new Mat(40, 80, CvType.CV_8UC3, new Scalar(200, 100, 50)), 90);
        for (int orientation = 0; orientation <= 9; orientation++) {
            byte[] jpeg = withExifOrientation(landscape, orientation);
            Mat decoded = ImageCodec.decode(jpeg);
            ImageHeader size = ImageCodec.uprightSize(jpeg);
            assertThat(new int[] {size.width(), size.height()})
                    .as("orientation %d", orientation)
                    .containsExactly(decoded.cols(), decoded.rows());
            decoded.release();
        }
        assertThat(ImageCodec.uprightSize(landscape).width()).as("no EXIF").isEqualTo(80);
    }

    @Test
    void theUprightSizeChecksWhatDecodingChecks() {
        byte[] jpeg = ImageCodec.encodeJpeg(new Mat(40, 80, CvType.CV_8UC3, new Scalar(200, 100, 50)), 90);
        assertThatThrownBy(() -> ImageCodec.uprightSize(java.util.Arrays.copyOf(jpeg, jpeg.length - 2)))
                .isInstanceOfSatisfying(
                        ImageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_IMAGE));
    }

    @Test
    void refusesPicturesOverThePixelLimitBeforeDecoding() {
        byte[] png = ImageCodec.encodePng(new Mat(8, 8, CvType.CV_8UC3, Scalar.all(0)));
        // Rewrite the IHDR size to 10000 x 10000 (the CRC no longer matches, but it is never decoded).
        byte[] huge = png.clone();
        java.nio.ByteBuffer.wrap(huge, 16, 8).putInt(10_000).putInt(10_000);
        assertThatThrownBy(() -> ImageCodec.decode(huge))
                .isInstanceOfSatisfying(
                        ImageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_TOO_LARGE));
    }

    private static byte[] encode(String extension, Mat picture) {
        MatOfByte out = new MatOfByte();
        Imgcodecs.imencode(extension, picture, out, new MatOfInt());
        return out.toArray();
    }

    /** Inserts a minimal EXIF APP1 segment (one Orientation tag) after the SOI marker. */
    private static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = {
            'M',
            'M',
            0,
            42,
            0,
            0,
            0,
            8, // big-endian TIFF header, IFD at offset 8
            0,
            1, // one entry
            0x01,
            0x12,
            0,
            3,
            0,
            0,
            0,
            1,
            0,
            (byte) orientation,
            0,
            0, // Orientation, SHORT, 1 value
            0,
            0,
            0,
            0
        }; // no next IFD
        byte[] exif = new byte[6 + tiff.length];
        System.arraycopy(new byte[] {'E', 'x', 'i', 'f', 0, 0}, 0, exif, 0, 6);
        System.arraycopy(tiff, 0, exif, 6, tiff.length);
        int length = exif.length + 2;
        byte[] out = new byte[jpeg.length + 2 + length];
        out[0] = (byte) 0xFF;
        out[1] = (byte) 0xD8;
        out[2] = (byte) 0xFF;
        out[3] = (byte) 0xE1;
        out[4] = (byte) (length >> 8);
        out[5] = (byte) length;
        System.arraycopy(exif, 0, out, 6, exif.length);
        System.arraycopy(jpeg, 2, out, 6 + exif.length, jpeg.length - 2);
        return out;
    }
}
