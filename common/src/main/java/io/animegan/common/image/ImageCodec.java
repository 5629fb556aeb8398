package io.animegan.common.image;

import io.animegan.common.stage.ErrorCode;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;

/** Decoding and encoding with OpenCV. Decoded pictures are 8-bit BGR, already turned upright. */
public final class ImageCodec {

    /** Pictures larger than this are refused before decoding (a decompression bomb guard). */
    public static final long MAX_PIXELS = 50_000_000L;

    static {
        OpenCv.load();
    }

    private ImageCodec() {}

    /**
     * Decodes strictly: the header must be sane, the file complete and a JPEG's structure intact.
     * OpenCV itself fills a truncated JPEG with grey, and decodes one with a corrupted middle after
     * only printing libjpeg's warning; either would turn a broken upload into a broken-looking
     * result instead of a clear failure.
     */
    public static Mat decode(byte[] bytes) {
        ImageHeader header = check(bytes);
        // IMREAD_COLOR applies the EXIF orientation, so every stage sees the picture upright.
        Mat image = imdecode(bytes, Imgcodecs.IMREAD_COLOR);
        if (image.empty()) {
            throw new ImageException(ErrorCode.CORRUPT_IMAGE, header.format() + " data could not be decoded");
        }
        return image;
    }

    /**
     * The size {@link #decode} would give (upright), after the same checks but without decoding the
     * pixels where the header tells: a JPEG's frame size turned by its EXIF orientation. Other
     * formats are decoded to be sure of the orientation OpenCV applies.
     */
    public static ImageHeader uprightSize(byte[] bytes) {
        ImageHeader header = check(bytes);
        if (header.format() != ImageFormat.JPEG) {
            try (MatScope scope = new MatScope()) {
                Mat picture = scope.own(decode(bytes));
                return new ImageHeader(header.format(), picture.cols(), picture.rows());
            }
        }
        int orientation = ExifOrientation.of(bytes);
        // Orientations 5 to 8 turn the picture by 90 degrees (with or without a mirror).
        return orientation >= 5 && orientation <= 8
                ? new ImageHeader(header.format(), header.height(), header.width())
                : header;
    }

    /** Everything {@link #decode} checks before it decodes: sane header, size limit, a complete and intact file. */
    private static ImageHeader check(byte[] bytes) {
        ImageHeader header = ImageHeader.read(bytes);
        if (header.pixels() > MAX_PIXELS) {
            throw new ImageException(
                    ErrorCode.IMAGE_TOO_LARGE,
                    "picture of " + header.width() + "x" + header.height() + " exceeds " + MAX_PIXELS + " pixels");
        }
        requireComplete(header.format(), bytes);
        if (header.format() == ImageFormat.JPEG) {
            JpegStructure.check(bytes);
        }
        return header;
    }

    private static void requireComplete(ImageFormat format, byte[] b) {
        boolean complete = switch (format) {
            case JPEG -> containsNearEnd(b, new byte[] {(byte) 0xFF, (byte) 0xD9}, 1024);
            case PNG -> containsNearEnd(b, new byte[] {'I', 'E', 'N', 'D'}, 64);
            case WEBP, BMP -> true;
        };
        if (!complete) {
            throw new ImageException(ErrorCode.CORRUPT_IMAGE, format + " file is truncated (no end marker)");
        }
    }

    private static boolean containsNearEnd(byte[] b, byte[] needle, int window) {
        for (int i = b.length - needle.length; i >= Math.max(0, b.length - window); i--) {
            boolean match = true;
            for (int j = 0; j < needle.length && match; j++) {
                match = b[i + j] == needle[j];
            }
            if (match) {
                return true;
            }
        }
        return false;
    }

    /**
     * PNG tuned for speed: with no compression level given, OpenCV encodes with the "sub" filter,
     * zlib's fastest level and its run-length strategy, about half the time of level 1 with libpng's
     * adaptive filters, for files about a tenth larger (README, "How it fits together").
     */
    public static byte[] encodePng(Mat image) {
        return encode(".png", image);
    }

    public static byte[] encodeJpeg(Mat image, int quality) {
        return encode(".jpg", image, Imgcodecs.IMWRITE_JPEG_QUALITY, quality);
    }

    /** Decodes an image the service wrote itself (PNG intermediates), keeping its channel count. */
    public static Mat decodeInternal(byte[] bytes) {
        Mat image = imdecode(bytes, Imgcodecs.IMREAD_UNCHANGED);
        if (image.empty()) {
            image.release();
            throw new ImageException(ErrorCode.INTERNAL_ERROR, "intermediate image could not be decoded");
        }
        return image;
    }

    /** The decoded picture (empty if OpenCV could not read it), which the caller owns; the file's copy is released. */
    private static Mat imdecode(byte[] bytes, int flags) {
        try (MatScope scope = new MatScope()) {
            return Imgcodecs.imdecode(scope.own(new MatOfByte(bytes)), flags);
        }
    }

    private static byte[] encode(String extension, Mat image, int... params) {
        try (MatScope scope = new MatScope()) {
            MatOfByte out = scope.own(new MatOfByte());
            if (!Imgcodecs.imencode(extension, image, out, scope.own(new MatOfInt(params)))) {
                throw new ImageException(ErrorCode.INTERNAL_ERROR, "cannot encode " + extension);
            }
            return out.toArray();
        }
    }
}
