package io.animegan.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A middle segment decoded by seeking gives exactly its frames, in every container and codec. */
class SegmentDecoderTest {

    @TempDir
    Path dir;

    @Test
    void middleSegmentInEveryContainerAndCodec() throws Exception {
        record Case(String file, String container, String encoder, int id, int bFrames) {}
        for (Case c : new Case[] {
            new Case("h264.mp4", "mp4", "libopenh264", avcodec.AV_CODEC_ID_H264, -1),
            new Case("h264.mov", "mov", "libopenh264", avcodec.AV_CODEC_ID_H264, -1),
            new Case("h264.mkv", "matroska", "libopenh264", avcodec.AV_CODEC_ID_H264, -1),
            new Case("mpeg4-bframes.mp4", "mp4", "mpeg4", avcodec.AV_CODEC_ID_MPEG4, 2),
            new Case("vp9.webm", "webm", "libvpx-vp9", avcodec.AV_CODEC_ID_VP9, -1),
            new Case("av1.mkv", "matroska", "libsvtav1", avcodec.AV_CODEC_ID_AV1, -1),
            new Case("av1.mp4", "mp4", "libaom-av1", avcodec.AV_CODEC_ID_AV1, -1)
        }) {
            Path file = TestClips.write(
                    dir.resolve(c.file()),
                    new TestClips.Spec()
                            .codec(c.container(), c.encoder(), c.id())
                            .frames(100)
                            .gop(30)
                            .bFrames(c.bFrames()));
            VideoInfo info = new VideoProbe().probe(file);
            SegmentPlan plan = new SegmentPlanner(1.0, 8, null).plan(info);
            Segment third = plan.segment(2);
            List<Integer> codes = new ArrayList<>();
            List<Boolean> warm = new ArrayList<>();
            List<Integer> indices = new ArrayList<>();
            long start = System.nanoTime();
            try (SegmentDecoder decoder = new SegmentDecoder(file, info, FrameSize.of(info, 1280))) {
                decoder.decode(plan, third, (i, w, bgr) -> {
                    codes.add(Barcode.read(bgr));
                    warm.add(w);
                    indices.add(i);
                });
            }
            System.out.printf(
                    "decode %s (%s): segment [%d, %d) with warm-up from %d in %.1f ms%n",
                    c.file(),
                    info.videoCodec(),
                    third.start(),
                    third.end(),
                    third.warmUpStart(),
                    (System.nanoTime() - start) / 1e6);
            List<Integer> expected =
                    IntStream.range(third.warmUpStart(), third.end()).boxed().toList();
            assertThat(indices).as(c.file()).containsExactlyElementsOf(expected);
            assertThat(codes).as(c.file()).containsExactlyElementsOf(expected);
            assertThat(warm.stream().filter(w -> w).count()).isEqualTo(third.warmUpFrames());
        }
    }

    @Test
    void scaledToTheLongSideLimitWithEvenSides() throws Exception {
        Path file = TestClips.write(
                dir.resolve("odd.mp4"), new TestClips.Spec().size(642, 362).frames(5));
        VideoInfo info = new VideoProbe().probe(file);
        FrameSize size = FrameSize.of(info, 321);
        assertThat(size).isEqualTo(new FrameSize(322, 182));
        List<String> sizes = new ArrayList<>();
        SegmentPlan plan = new SegmentPlanner().plan(info);
        try (SegmentDecoder decoder = new SegmentDecoder(file, info, size)) {
            decoder.decode(plan, plan.segment(0), (i, w, bgr) -> sizes.add(bgr.cols() + "x" + bgr.rows()));
        }
        assertThat(sizes).containsOnly("322x182").hasSize(5);
        assertThat(FrameSize.of(
                        new VideoInfo(
                                "mp4", "h264", 1920, 1080, 90, Rational.of(30, 1), false, 1, 1, false, null, null),
                        1280))
                .isEqualTo(new FrameSize(720, 1280));
    }
}
