package io.animegan.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.common.testing.TestAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoProbeTest {

    @TempDir
    static Path dir;

    static Path h264;
    static final VideoProbe probe = new VideoProbe();

    @BeforeAll
    static void clips() throws Exception {
        h264 = TestClips.write(
                dir.resolve("h264.mp4"), new TestClips.Spec().frames(75).audio(true));
    }

    @Test
    void h264InMp4WithAudio() {
        VideoInfo info = probe.probe(h264);
        System.out.println("probe: " + info);
        assertThat(info.container()).contains("mp4");
        assertThat(info.videoCodec()).isEqualTo("h264");
        assertThat(info.width()).isEqualTo(320);
        assertThat(info.height()).isEqualTo(180);
        assertThat(info.rotation()).isZero();
        assertThat(info.frameRate()).isEqualTo(Rational.of(25, 1));
        assertThat(info.variableFrameRate()).isFalse();
        assertThat(info.frameCount()).isEqualTo(75);
        assertThat(info.durationMicros()).isEqualTo(3_000_000);
        assertThat(info.hasAudio()).isTrue();
        assertThat(info.audioCodec()).isEqualTo("aac");
    }

    @Test
    void otherContainersAndCodecs() throws Exception {
        record Case(String file, String container, String encoder, int id, String codec) {}
        for (Case c : new Case[] {
            new Case("h264.mov", "mov", "libopenh264", avcodec.AV_CODEC_ID_H264, "h264"),
            new Case("h264.mkv", "matroska", "libopenh264", avcodec.AV_CODEC_ID_H264, "h264"),
            new Case("vp9.webm", "webm", "libvpx-vp9", avcodec.AV_CODEC_ID_VP9, "vp9"),
            new Case("av1.mkv", "matroska", "libsvtav1", avcodec.AV_CODEC_ID_AV1, "av1"),
            new Case("av1-aom.mp4", "mp4", "libaom-av1", avcodec.AV_CODEC_ID_AV1, "av1")
        }) {
            long start = System.nanoTime();
            Path file = TestClips.write(
                    dir.resolve(c.file()),
                    new TestClips.Spec()
                            .codec(c.container(), c.encoder(), c.id())
                            .frames(30)
                            .audio(!c.file().startsWith("vp9")));
            VideoInfo info = probe.probe(file);
            System.out.printf(
                    "probe %s (%s, written in %d ms): %s%n",
                    c.file(), c.encoder(), (System.nanoTime() - start) / 1_000_000, info);
            assertThat(info.videoCodec()).isEqualTo(c.codec());
            assertThat(info.frameCount()).isEqualTo(30);
            assertThat(info.frameRate().value()).isCloseTo(25.0, org.assertj.core.data.Offset.offset(0.01));
            assertThat(info.durationMicros()).isCloseTo(1_200_000, org.assertj.core.data.Offset.offset(1_000L));
        }
    }

    @Test
    void theLgplBuildHasNoHevcEncoder() {
        // H.265 inputs cannot be generated here: no libx265 (GPL) and no software HEVC encoder in FFmpeg.
        // Only hardware encoders (hevc_nvenc, hevc_vaapi, ...), unusable without their devices.
        org.bytedeco.ffmpeg.avcodec.AVCodec hevc = avcodec.avcodec_find_encoder(avcodec.AV_CODEC_ID_HEVC);
        String name = hevc == null || hevc.isNull() ? "none" : hevc.name().getString();
        System.out.println("HEVC encoder in this FFmpeg build: " + name);
        assertThat(name).matches("none|hevc_(nvenc|vaapi|qsv|v4l2m2m|vulkan|amf|mf)");
        assertThat(avcodec.avcodec_find_decoder(avcodec.AV_CODEC_ID_HEVC).isNull())
                .isFalse();
    }

    @Test
    void variableFrameRate() throws Exception {
        long[] t = new long[60];
        long now = 0;
        for (int i = 0; i < t.length; i++) {
            t[i] = now;
            now += (i / 10) % 2 == 0 ? 33_333 : 66_667; // 30 fps then 15 fps, alternating every 10 frames
        }
        Path file = TestClips.write(
                dir.resolve("vfr.mp4"), new TestClips.Spec().fps(90).timestamps(t));
        VideoInfo info = probe.probe(file);
        System.out.println("probe vfr: " + info);
        assertThat(info.variableFrameRate()).isTrue();
        assertThat(info.frameCount()).isEqualTo(60);
        assertThat(info.durationSeconds()).isCloseTo(now / 1e6, org.assertj.core.data.Offset.offset(0.04));
    }

    @Test
    void rotation() throws Exception {
        for (int r : new int[] {90, 180, 270}) {
            Path file = TestClips.write(
                    dir.resolve("rot" + r + ".mp4"),
                    new TestClips.Spec().rotation(r).frames(10));
            VideoInfo info = probe.probe(file);
            System.out.println("probe rotation " + r + ": " + info);
            assertThat(info.rotation()).isEqualTo(r);
            assertThat(info.displayWidth()).isEqualTo(320);
            assertThat(info.displayHeight()).isEqualTo(180);
        }
    }

    @Test
    void badInputsHaveTheirCodes() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.mp4"), "this is not a video\n".repeat(50));
        Path random = dir.resolve("random.mkv");
        byte[] bytes = new byte[20_000];
        new java.util.Random(1).nextBytes(bytes);
        Files.write(random, bytes);
        Path empty = Files.write(dir.resolve("empty.mp4"), new byte[0]);
        Path jpeg = TestAssets.requireSample("group-of-three.jpg");
        Path truncated = TestClips.truncated(h264, dir.resolve("truncated.mp4"), 0.5);
        Path damaged = TestClips.damaged(h264, dir.resolve("damaged.mp4"), indexOf(h264, "avcC") + 4, 40);
        Path audioOnly = writeAudioOnly(dir.resolve("audio.m4a"));
        Path zero = TestClips.write(dir.resolve("zero.mp4"), new TestClips.Spec().frames(0));
        Path small = TestClips.write(dir.resolve("small.mp4"), new TestClips.Spec().frames(30));
        assertCode(probe, text, VideoError.NOT_A_VIDEO);
        assertCode(probe, random, VideoError.NOT_A_VIDEO);
        assertCode(probe, empty, VideoError.NOT_A_VIDEO);
        assertCode(probe, jpeg, VideoError.NOT_A_VIDEO);
        assertCode(probe, truncated, VideoError.CORRUPT_VIDEO);
        assertCode(probe, damaged, VideoError.CORRUPT_VIDEO);
        assertCode(probe, audioOnly, VideoError.NO_VIDEO_STREAM);
        assertCode(probe, zero, VideoError.NO_FRAMES);
        assertCode(new VideoProbe(new VideoLimits(1_000_000, 4_000_000, 10_000)), small, VideoError.TOO_LONG);
        assertCode(new VideoProbe(new VideoLimits(60_000_000, 320 * 100, 10_000)), small, VideoError.TOO_LARGE);
        assertCode(new VideoProbe(new VideoLimits(60_000_000, 4_000_000, 20)), small, VideoError.TOO_LARGE);
    }

    private static void assertCode(VideoProbe probe, Path file, VideoError code) {
        assertThatThrownBy(() -> probe.probe(file)).isInstanceOfSatisfying(VideoException.class, e -> {
            System.out.println("probe " + file.getFileName() + ": " + e.getMessage());
            assertThat(e.code()).isEqualTo(code);
        });
    }

    static long indexOf(Path file, String box) throws java.io.IOException {
        byte[] bytes = Files.readAllBytes(file);
        byte[] needle = box.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int i = bytes.length - needle.length; i >= 0; i--) {
            for (int k = 0; k < needle.length; k++) {
                if (bytes[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException(box + " not in " + file);
    }

    static Path writeAudioOnly(Path file) throws Exception {
        try (org.bytedeco.javacv.FFmpegFrameRecorder recorder =
                new org.bytedeco.javacv.FFmpegFrameRecorder(file.toFile(), 1)) {
            recorder.setFormat("mp4");
            recorder.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
            recorder.setSampleRate(48_000);
            recorder.start();
            short[] samples = new short[48_000];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = (short) (8000 * Math.sin(i * 0.05));
            }
            recorder.recordSamples(48_000, 1, java.nio.ShortBuffer.wrap(samples));
            recorder.stop();
        }
        return file;
    }
}
