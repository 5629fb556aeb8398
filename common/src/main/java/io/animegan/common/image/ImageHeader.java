package io.animegan.common.image;

import io.animegan.common.stage.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Format and pixel size read from the first bytes of a file, without decoding it: cheap enough
 * for ingest to refuse unsupported or oversized pictures before anything is stored.
 */
public record ImageHeader(ImageFormat format, int width, int height) {

    public long pixels() {
        return (long) width * height;
    }

    public static ImageHeader read(byte[] b) {
        ImageFormat format = sniff(b);
        ImageHeader header = switch (format) {
            case JPEG -> jpeg(b);
            case PNG -> new ImageHeader(format, be32(b, 16), be32(b, 20));
            case BMP -> new ImageHeader(format, le32(b, 18), Math.abs(le32(b, 22)));
            case WEBP -> webp(b);
        };
        if (header.width <= 0 || header.height <= 0) {
            throw new ImageException(ErrorCode.CORRUPT_IMAGE, "the " + format + " header gives no valid picture size");
        }
        return header;
    }

    public static ImageFormat sniff(byte[] b) {
        if (b.length > 3 && u8(b, 0) == 0xFF && u8(b, 1) == 0xD8 && u8(b, 2) == 0xFF) {
            return ImageFormat.JPEG;
        }
        if (b.length > 24 && u8(b, 0) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return ImageFormat.PNG;
        }
        if (b.length > 30
                && b[0] == 'R'
                && b[1] == 'I'
                && b[2] == 'F'
                && b[3] == 'F'
                && b[8] == 'W'
                && b[9] == 'E'
                && b[10] == 'B'
                && b[11] == 'P') {
            return ImageFormat.WEBP;
        }
        if (b.length > 26 && b[0] == 'B' && b[1] == 'M') {
            return ImageFormat.BMP;
        }
        throw new ImageException(
                ErrorCode.UNSUPPORTED_FORMAT, "not a supported image (JPEG, PNG, WebP or BMP expected)");
    }

    private static ImageHeader jpeg(byte[] b) {
        ImageHeader[] frame = {null};
        JpegStructure.walk(b, JpegStructure.OnGarbage.SKIP, (marker, at, length) -> {
            if (at + 9 >= b.length) {
                return false;
            }
            boolean startOfFrame =
                    marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (startOfFrame) {
                frame[0] = new ImageHeader(ImageFormat.JPEG, be16(b, at + 7), be16(b, at + 5));
            }
            return frame[0] == null;
        });
        if (frame[0] == null) {
            throw new ImageException(ErrorCode.CORRUPT_IMAGE, "JPEG without a frame header");
        }
        return frame[0];
    }

    private static ImageHeader webp(byte[] b) {
        String chunk = new String(b, 12, 4, StandardCharsets.US_ASCII);
        return switch (chunk) {
            case "VP8X" -> new ImageHeader(ImageFormat.WEBP, 1 + le24(b, 24), 1 + le24(b, 27));
            case "VP8 " -> new ImageHeader(ImageFormat.WEBP, le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF);
            case "VP8L" -> {
                int bits = le32(b, 21);
                yield new ImageHeader(ImageFormat.WEBP, 1 + (bits & 0x3FFF), 1 + ((bits >>> 14) & 0x3FFF));
            }
            default -> throw new ImageException(ErrorCode.CORRUPT_IMAGE, "unknown WebP chunk " + chunk);
        };
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static int be16(byte[] b, int i) {
        return (u8(b, i) << 8) | u8(b, i + 1);
    }

    private static int be32(byte[] b, int i) {
        return ByteBuffer.wrap(b, i, 4).order(ByteOrder.BIG_ENDIAN).getInt();
    }

    private static int le16(byte[] b, int i) {
        return u8(b, i) | (u8(b, i + 1) << 8);
    }

    private static int le24(byte[] b, int i) {
        return u8(b, i) | (u8(b, i + 1) << 8) | (u8(b, i + 2) << 16);
    }

    private static int le32(byte[] b, int i) {
        return ByteBuffer.wrap(b, i, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }
}
