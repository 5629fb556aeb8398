package io.animegan.app;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;

/** Pictures made by the test: noise over a gradient, so every one differs and none compresses away. */
final class GeneratedPictures {

    private GeneratedPictures() {}

    static BufferedImage noise(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 255 / width + random.nextInt(64)) & 0xff;
                int g = (y * 255 / height + random.nextInt(64)) & 0xff;
                int b = random.nextInt(256);
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    /** A JPEG at quality 0.95. */
    static byte[] jpeg(int width, int height, long seed) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.95f);
            try (var ios = ImageIO.createImageOutputStream(out)) {
                writer.setOutput(ios);
                writer.write(null, new IIOImage(noise(width, height, seed), null, null), param);
            } finally {
                writer.dispose();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A noise JPEG padded after its end marker to exactly {@code size} bytes (decoders stop at the marker). */
    static byte[] jpegOfSize(long size, long seed) {
        byte[] picture = jpeg(1600, 1200, seed);
        if (picture.length > size) {
            throw new IllegalArgumentException("a " + size + "-byte picture is smaller than the generated one");
        }
        byte[] padded = Arrays.copyOf(picture, (int) size);
        for (int i = picture.length; i < padded.length; i++) {
            padded[i] = (byte) (i * 31 + seed);
        }
        return padded;
    }
}
