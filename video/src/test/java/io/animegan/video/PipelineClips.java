package io.animegan.video;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.opencv.core.Mat;

/** The video module's test clips and their checks, for the pipeline's and the page's integration tests in other modules. */
public final class PipelineClips {

    private PipelineClips() {}

    /** {@code frames} of the moving pattern (each frame's index as a barcode) at 25 fps, with a tone. */
    public static Path withSound(Path file, int width, int height, int frames) throws IOException {
        return TestClips.write(
                file, new TestClips.Spec().size(width, height).frames(frames).audio(true));
    }

    /** As {@link #withSound(Path, int, int, int)} at {@code fps}. */
    public static Path withSound(Path file, int width, int height, double fps, int frames) throws IOException {
        return TestClips.write(
                file,
                new TestClips.Spec().size(width, height).fps(fps).frames(frames).audio(true));
    }

    /** {@code frames} of a pan over the sample photo {@code sample} at 25 fps, without sound (faces in a clip). */
    public static Path pan(Path file, String sample, int width, int height, int frames) throws IOException {
        Mat photo = TestClips.photo(sample, height);
        try {
            return TestClips.write(
                    file,
                    new TestClips.Spec().size(width, height).frames(frames).painter(TestClips.pan(photo, 1.7, false)));
        } finally {
            photo.release();
        }
    }

    /** A copy of {@code source} cut to its first half. */
    public static Path truncated(Path source, Path target) throws IOException {
        return TestClips.truncated(source, target, 0.5);
    }

    public static Path audioOnly(Path file) throws Exception {
        return VideoProbeTest.writeAudioOnly(file);
    }

    public static Path zeroFrames(Path file) throws IOException {
        return TestClips.write(file, new TestClips.Spec().frames(0));
    }

    public static int frameCount(Path file) {
        return new VideoProbe().probe(file).frameCount();
    }

    /** Each frame's barcode, in order. */
    public static List<Integer> barcodes(Path file) {
        return Clips.barcodes(file);
    }

    /** How many audio packets {@code file} has. */
    public static int audioPackets(Path file) {
        return StreamPackets.audio(file).packets().size();
    }

    /** Whether both files' audio packets are the same bytes with the same timestamps, in the same time base. */
    public static boolean sameAudio(Path a, Path b) {
        StreamPackets x = StreamPackets.audio(a);
        StreamPackets y = StreamPackets.audio(b);
        if (!Objects.equals(x.timeBase(), y.timeBase())
                || x.packets().size() != y.packets().size()) {
            return false;
        }
        for (int i = 0; i < x.packets().size(); i++) {
            StreamPackets.Packet p = x.packets().get(i);
            StreamPackets.Packet q = y.packets().get(i);
            if (p.pts() != q.pts() || p.dts() != q.dts() || !Arrays.equals(p.data(), q.data())) {
                return false;
            }
        }
        return true;
    }
}
