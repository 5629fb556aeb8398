package io.animegan.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.common.image.ImageFormat;
import io.animegan.common.testing.TestAssets;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

public class UploadValidatorTest {

    private final UploadValidator validator = new UploadValidator(1_000_000);

    /** A PNG signature and IHDR header claiming the given size (enough for the header reader). */
    public static byte[] pngHeader(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
        b.putInt(width).putInt(height);
        return b.array();
    }

    @Test
    void acceptsARealPhotoWhateverItsName() {
        byte[] photo = TestAssets.sampleBytes("group-of-three.jpg");
        UploadValidator.ValidUpload ok = validator.validate("holiday.txt", photo);
        assertThat(ok.header().format()).isEqualTo(ImageFormat.JPEG);
        assertThat(ok.header().width()).isPositive();
        assertThat(ok.name()).isEqualTo("holiday.txt");
    }

    @Test
    void refusesTextNamedLikeAPicture() {
        assertThatThrownBy(() -> validator.validate("photo.jpg", "hello, world".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(415);
                    assertThat(e.getMessage()).contains("photo.jpg");
                });
    }

    @Test
    void refusesAPictureCutShort() {
        byte[] photo = TestAssets.sampleBytes("group-of-three.jpg");
        assertThatThrownBy(() -> validator.validate("cut.jpg", Arrays.copyOf(photo, 40)))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(415));
        assertThatThrownBy(() -> validator.validate("zero.png", pngHeader(0, 10)))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(415));
    }

    @Test
    void refusesTooManyBytesOrPixels() {
        assertThatThrownBy(() -> validator.checkSize("big.jpg", 1_000_001))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.getMessage()).contains("big.jpg");
                });
        assertThatThrownBy(() -> validator.validate("bomb.png", pngHeader(10_000, 10_000)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.getMessage()).contains("bomb.png").contains("pixels");
                });
        assertThat(validator
                        .validate("fine.png", pngHeader(5000, 5000))
                        .header()
                        .pixels())
                .isEqualTo(25_000_000L);
    }

    @Test
    void displayNameIsTheLastPathSegment() {
        assertThat(UploadValidator.displayName("C:\\Users\\me\\cat.jpg")).isEqualTo("cat.jpg");
        assertThat(UploadValidator.displayName("../../etc/passwd")).isEqualTo("passwd");
        assertThat(UploadValidator.displayName("")).isEqualTo("upload");
    }
}
