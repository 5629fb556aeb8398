package io.animegan.video;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Mat;

/** Reading clips back in tests. */
final class Clips {

    private Clips() {}

    /** Every frame of {@code file} at its own size, in order, through the library's decoder. */
    static void forEachFrame(Path file, FrameSink sink) {
        VideoInfo info = new VideoProbe().probe(file);
        SegmentPlan whole = new SegmentPlanner(1e9, 0, null).plan(info);
        try (SegmentDecoder decoder = new SegmentDecoder(file, info, FrameSize.of(info, 100_000))) {
            decoder.decode(whole, whole.segment(0), sink);
        }
    }

    /** The barcodes of every frame of {@code file}. */
    static List<Integer> barcodes(Path file) {
        List<Integer> codes = new ArrayList<>();
        forEachFrame(file, (i, warm, bgr) -> codes.add(Barcode.read(bgr)));
        return codes;
    }

    /** Frame clones of {@code file} (small clips only). */
    static List<Mat> frames(Path file) {
        List<Mat> frames = new ArrayList<>();
        forEachFrame(file, (i, warm, bgr) -> frames.add(bgr.clone()));
        return frames;
    }

    static void release(List<Mat> frames) {
        frames.forEach(Mat::release);
    }
}
