package io.animegan.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.common.style.StyleCatalogue;
import io.animegan.events.VideoOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What ingest accepts as a clip, from its first bytes and its form fields. */
class VideoSubmissionTest {

    private static final OptionsParser PARSER =
            new OptionsParser(StyleCatalogue.loadForRequests(Path.of("target", "no-models-here"), "int8"));
    private static final VideoValidator VALIDATOR = new VideoValidator(1000);

    static byte[] ftyp(String brand) {
        byte[] head = new byte[32];
        byte[] box = ("\0\0\0\u0020ftyp" + brand + "\0\0\0\0isomiso2").getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(box, 0, head, 0, box.length);
        return head;
    }

    static byte[] ebml(String docType) {
        byte[] magic = HexFormat.of().parseHex("1a45dfa39f4286810142f7810142f2810442f381084282");
        String type = (char) 0x84 + docType;
        return concat(magic, type.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void sniffsContainersByTheirBytes() {
        assertThat(VALIDATOR.container("a.bin", ftyp("isom"))).isEqualTo(VideoContainer.MP4);
        assertThat(VALIDATOR.container("a.bin", ftyp("mp42"))).isEqualTo(VideoContainer.MP4);
        assertThat(VALIDATOR.container("a.bin", ftyp("qt  "))).isEqualTo(VideoContainer.QUICKTIME);
        assertThat(VALIDATOR.container("a.bin", ebml("webm"))).isEqualTo(VideoContainer.WEBM);
        assertThat(VALIDATOR.container("a.bin", ebml("matroska"))).isEqualTo(VideoContainer.MATROSKA);
    }

    @Test
    void refusesWhatIsNoClipWhateverItsName() {
        for (byte[] head : List.of(
                "hello, world, this is text".getBytes(StandardCharsets.US_ASCII),
                new byte[0],
                new byte[] {0, 0, 0},
                "RIFF\0\0\0\0AVI LIST".getBytes(StandardCharsets.ISO_8859_1))) {
            assertThatThrownBy(() -> VALIDATOR.container("clip.mp4", head))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(415);
                        assertThat(e.code()).isEqualTo(VideoValidator.UNSUPPORTED);
                        assertThat(e.getMessage()).contains("clip.mp4").contains("MP4, MOV, MKV or WebM");
                    });
        }
    }

    @Test
    void aPhotoSentAsAClipIsToldAboutTheImageRoute() {
        List<byte[]> photos = List.of(
                HexFormat.of().parseHex("ffd8ffe000104a464946000101"),
                HexFormat.of().parseHex("89504e470d0a1a0a0000000d49484452"),
                "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1),
                "BM\0\0\0\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1),
                ftyp("heic"),
                ftyp("avif"));
        for (byte[] head : photos) {
            assertThat(VideoContainer.isPicture(head)).isTrue();
            assertThatThrownBy(() -> VALIDATOR.container("cat.mp4", head))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(415);
                        assertThat(e.code()).isEqualTo(VideoValidator.UNSUPPORTED);
                        assertThat(e.getMessage()).contains("/api/images");
                    });
        }
    }

    @Test
    void aClipSentAsAPictureIsToldAboutTheVideoRoute() {
        UploadValidator pictures = new UploadValidator(1000);
        for (byte[] head : List.of(ftyp("isom"), ebml("webm"))) {
            assertThatThrownBy(() -> pictures.validate("clip.jpg", head))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(415);
                        assertThat(e.code()).isEqualTo(VideoValidator.VIDEO_NOT_PICTURE);
                        assertThat(e.getMessage()).contains("/api/videos");
                    });
        }
    }

    @Test
    void refusesAClipOverTheLimitBeforeReadingIt() {
        VALIDATOR.checkSize("a.mp4", 1000);
        assertThatThrownBy(() -> VALIDATOR.checkSize("a.mp4", 1001)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(413);
            assertThat(e.code()).isEqualTo(VideoValidator.TOO_LARGE);
        });
    }

    @Test
    void videoOptionsDefaults() {
        List<VideoOptions> all = PARSER.parseVideo(Map.of(), 1280);
        assertThat(all).hasSize(1);
        VideoOptions o = all.get(0);
        assertThat(o.getStyle()).isEqualTo("animeganv2-hayao");
        assertThat(o.getMaxSide()).isEqualTo(1280);
        assertThat(o.getFps()).isNull();
        assertThat(o.getFaces()).isFalse();
        assertThat(o.getTemporal()).isTrue();
        assertThat(o.getStyleSide()).isNull();
        assertThat(PARSER.parseVideo(Map.of(), 720).get(0).getMaxSide()).isEqualTo(720);
    }

    @Test
    void videoOptionsReadEveryField() {
        List<VideoOptions> all = PARSER.parseVideo(
                Map.of(
                        "style", List.of("hayao,animeganv3-shinkai"),
                        "maxSide", List.of("640"),
                        "fps", List.of("24"),
                        "faces", List.of("true"),
                        "temporal", List.of("OFF"),
                        "styleSide", List.of("512"),
                        "format", List.of("not read for clips")),
                1280);
        assertThat(all).extracting(VideoOptions::getStyle).containsExactly("animeganv2-hayao", "animeganv3-shinkai");
        VideoOptions o = all.get(0);
        assertThat(o.getMaxSide()).isEqualTo(640);
        assertThat(o.getFps()).isEqualTo(24);
        assertThat(o.getFaces()).isTrue();
        assertThat(o.getTemporal()).isFalse();
        assertThat(o.getStyleSide()).isEqualTo(512);
    }

    @Test
    void videoOptionsRefuseBadValues() {
        for (Map<String, List<String>> bad : List.of(
                Map.of("maxSide", List.of("1281")),
                Map.of("maxSide", List.of("63")),
                Map.of("fps", List.of("0")),
                Map.of("fps", List.of("61")),
                Map.of("fps", List.of("thirty")),
                Map.of("temporal", List.of("maybe")),
                Map.of("faces", List.of("yes")),
                Map.of("styleSide", List.of("100")),
                Map.of("style", List.of("no-such-style")))) {
            assertThatThrownBy(() -> PARSER.parseVideo(bad, 1280))
                    .as("%s", bad)
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
    }
}
