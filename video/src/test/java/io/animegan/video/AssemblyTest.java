package io.animegan.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.Mat;

/** Frames and sound through plan → segments → assembly, with a stylizer that copies its input. */
class AssemblyTest {

    @TempDir
    Path dir;

    static final FrameStylizer COPY = Mat::clone;

    private ClipRenderer renderer(Rational cap) {
        return new ClipRenderer(new VideoProbe(), new SegmentPlanner(1.0, 8, cap), 1280, null, 2);
    }

    @Test
    void everyFrameOnceAcrossSegmentBordersAndAudioCopiedAsItIs() throws Exception {
        int flash = 57;
        Path input = TestClips.write(
                dir.resolve("flash.mp4"),
                new TestClips.Spec().frames(125).painter(TestClips.flash(flash)).beep(i -> i == flash));
        Path output = dir.resolve("out.mp4");
        ClipRenderer.Result result = renderer(null).render(input, output, dir, () -> COPY);
        System.out.println("plan: " + result.plan() + " " + result.plan().segments());
        assertThat(result.plan().segments()).hasSize(5);

        VideoInfo in = result.info();
        VideoInfo out = new VideoProbe().probe(output);
        System.out.println("in:  " + in + "\nout: " + out);
        assertThat(out.frameCount()).isEqualTo(in.frameCount());
        assertThat(out.frameRate()).isEqualTo(in.frameRate());
        assertThat(Clips.barcodes(output))
                .containsExactlyElementsOf(IntStream.range(0, 125).boxed().toList());
        try (MediaInput media = MediaInput.openKnown(output)) {
            var par = media.stream(media.videoStream()).codecpar();
            String profile = org.bytedeco
                    .ffmpeg
                    .global
                    .avcodec
                    .avcodec_profile_name(par.codec_id(), par.profile())
                    .getString();
            System.out.printf(
                    "output video: %s profile %s, colour space %d, %d kbit/s%n",
                    out.videoCodec(), profile, par.color_space(), par.bit_rate() / 1000);
            assertThat(par.color_space()).isEqualTo(org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE170M);
            assertThat(par.format()).isEqualTo(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P);
        }

        // Audio: present, packet for packet the same bytes and timestamps.
        StreamPackets audioIn = StreamPackets.audio(input);
        StreamPackets audioOut = StreamPackets.audio(output);
        assertThat(out.hasAudio()).isTrue();
        assertThat(audioOut.timeBase()).isEqualTo(audioIn.timeBase());
        assertThat(audioOut.packets()).hasSameSizeAs(audioIn.packets());
        for (int i = 0; i < audioIn.packets().size(); i++) {
            StreamPackets.Packet a = audioIn.packets().get(i);
            StreamPackets.Packet b = audioOut.packets().get(i);
            assertThat(b.data()).as("audio packet %d", i).isEqualTo(a.data());
            assertThat(b.pts()).as("audio packet %d pts", i).isEqualTo(a.pts());
        }
        // Durations within one frame.
        double frame = 1 / in.frameRate().value();
        StreamPackets videoIn = StreamPackets.video(input);
        StreamPackets videoOut = StreamPackets.video(output);
        System.out.printf(
                "video %.4f..%.4f s -> %.4f..%.4f s; audio %.4f..%.4f s -> %.4f..%.4f s%n",
                videoIn.startSeconds(),
                videoIn.endSeconds(),
                videoOut.startSeconds(),
                videoOut.endSeconds(),
                audioIn.startSeconds(),
                audioIn.endSeconds(),
                audioOut.startSeconds(),
                audioOut.endSeconds());
        assertThat(out.durationSeconds()).isCloseTo(in.durationSeconds(), org.assertj.core.data.Offset.offset(frame));
        assertThat(videoOut.startSeconds())
                .isCloseTo(videoIn.startSeconds(), org.assertj.core.data.Offset.offset(frame));
        assertThat(audioOut.endSeconds()).isCloseTo(audioIn.endSeconds(), org.assertj.core.data.Offset.offset(frame));

        // Flash and beep together: the brightest frame's time against the loudest audio's time.
        double flashTime = flashTime(output, out);
        double beepTime = beepTime(output);
        System.out.printf(
                "flash at %.4f s, beep at %.4f s: %.1f ms apart (one frame = %.0f ms)%n",
                flashTime, beepTime, (beepTime - flashTime) * 1000, frame * 1000);
        assertThat(Math.abs(beepTime - flashTime)).isLessThanOrEqualTo(frame);

        // +faststart: the index (moov) before the media (mdat).
        long moov = VideoProbeTest.indexOf(output, "moov");
        byte[] head = Files.readAllBytes(output);
        assertThat(new String(head, 0, Math.min(head.length, 4096), java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("moov");
        assertThat(moov).isGreaterThan(0);
    }

    @Test
    void noAudioInNoAudioOutAndFpsCap() throws Exception {
        Path input = TestClips.write(
                dir.resolve("silent.mp4"), new TestClips.Spec().fps(30).frames(90));
        Path output = dir.resolve("capped.mp4");
        ClipRenderer.Result result = renderer(Rational.of(15, 1)).render(input, output, dir, () -> COPY);
        VideoInfo out = new VideoProbe().probe(output);
        System.out.println("capped: " + result.plan() + " -> " + out);
        assertThat(out.hasAudio()).isFalse();
        assertThat(out.frameCount()).isEqualTo(45);
        assertThat(out.frameRate()).isEqualTo(Rational.of(15, 1));
        assertThat(Clips.barcodes(output))
                .containsExactlyElementsOf(
                        IntStream.range(0, 45).map(i -> 2 * i).boxed().toList());
    }

    @Test
    void audioLongerThanVideoIsKept() throws Exception {
        Path input = TestClips.write(
                dir.resolve("long-audio.mp4"),
                new TestClips.Spec().frames(50).audio(true).extraAudio(1.5));
        Path output = dir.resolve("long-audio-out.mp4");
        renderer(null).render(input, output, dir, () -> COPY);
        StreamPackets in = StreamPackets.audio(input);
        StreamPackets out = StreamPackets.audio(output);
        System.out.printf(
                "audio outlasting video: %.3f s in, %.3f s out; video %.3f s%n",
                in.endSeconds(), out.endSeconds(), StreamPackets.video(output).endSeconds());
        assertThat(out.packets()).hasSameSizeAs(in.packets());
        assertThat(out.endSeconds()).isEqualTo(in.endSeconds());
    }

    @Test
    void variableFrameRateAndRotation() throws Exception {
        long[] t = new long[90];
        long now = 0;
        for (int i = 0; i < t.length; i++) {
            t[i] = now;
            now += (i / 15) % 2 == 0 ? 33_333 : 66_667;
        }
        Path vfr = TestClips.write(
                dir.resolve("vfr.mp4"),
                new TestClips.Spec().fps(90).timestamps(t).rotation(90));
        Path output = dir.resolve("vfr-out.mp4");
        ClipRenderer.Result result = renderer(null).render(vfr, output, dir, () -> COPY);
        VideoInfo out = new VideoProbe().probe(output);
        System.out.println("vfr+rotation: " + result.info() + " -> " + out + " at " + result.size());
        assertThat(out.rotation()).isZero();
        assertThat(out.width()).isEqualTo(320);
        assertThat(out.height()).isEqualTo(180);
        assertThat(out.variableFrameRate()).isFalse();
        assertThat(out.durationSeconds())
                .isCloseTo(
                        result.info().durationSeconds(),
                        org.assertj.core.data.Offset.offset(1 / out.frameRate().value()));
        // Each output frame shows the source frame on screen at its time.
        List<Integer> codes = Clips.barcodes(output);
        List<Integer> expected = new ArrayList<>();
        for (int j = 0; j < out.frameCount(); j++) {
            expected.add(result.plan().sourceFrame(j));
        }
        assertThat(codes).containsExactlyElementsOf(expected);
    }

    private static double flashTime(Path file, VideoInfo info) {
        double[] best = {-1, -1};
        Clips.forEachFrame(file, (i, warm, bgr) -> {
            double mean = Core.mean(bgr).val[1];
            if (mean > best[0]) {
                best[0] = mean;
                best[1] = i;
            }
        });
        StreamPackets video = StreamPackets.video(file);
        return video.startSeconds() + best[1] / info.frameRate().value();
    }

    /** Start of the loudest 10 ms of the file's audio, decoded. */
    private static double beepTime(Path file) {
        return AudioLevels.loudestOnset(file);
    }
}
