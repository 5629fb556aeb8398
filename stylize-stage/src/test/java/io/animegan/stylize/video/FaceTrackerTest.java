package io.animegan.stylize.video;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.testing.TestAssets;
import io.animegan.face.FaceStageApp;
import io.animegan.face.detect.DetectedFace;
import io.animegan.face.detect.RetinaFaceDetector;
import io.animegan.video.SourceMotion;
import io.animegan.video.TemporalFilter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

class FaceTrackerTest {

    static OnnxModel model;
    static RetinaFaceDetector detector;

    @BeforeAll
    static void load() {
        model = OnnxModel.load(TestAssets.requireModel(FaceStageApp.DETECTOR_MODEL), FaceStageApp.DETECTOR_MODEL, 1);
        detector = new RetinaFaceDetector(model);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            detector.close();
            model.close();
        }
    }

    static SourceMotion motion() {
        TemporalFilter.Settings s = TemporalFilter.Settings.DEFAULT;
        return new SourceMotion(s.preset(), s.flowLongSide());
    }

    @Test
    void followsThePannedFaceBetweenDetectionsAndKeepsItsTrack() {
        // Detections only every 10th frame: in between, the flow alone carries the face.
        FaceTracker tracker = new FaceTracker(
                detector::detect, new FaceTracker.Settings(10, 0.3, 0.5, LandmarkSmoother.Settings.DEFAULT));
        List<Integer> ids = new ArrayList<>();
        double worst = 0;
        float[] first = null;
        try (PortraitPan pan = new PortraitPan(320, 320, -1.7, -0.6);
                SourceMotion motion = motion()) {
            for (int i = 0; i < 20; i++) {
                Mat frame = pan.frame(i);
                motion.next(frame);
                List<FaceTracker.TrackedFace> faces = tracker.update(frame, motion);
                frame.release();
                assertThat(faces).as("frame %d", i).hasSize(1);
                ids.add(faces.get(0).id());
                float[] tracked = tracker.tracks().get(0).landmarks;
                if (first == null) {
                    first = tracked.clone();
                }
                // The raw track against where the first detection's points have truly moved.
                for (int p = 0; p < first.length; p += 2) {
                    worst = Math.max(
                            worst,
                            Math.hypot(
                                    tracked[p] - (first[p] + pan.shiftX(i)),
                                    tracked[p + 1] - (first[p + 1] + pan.shiftY(i))));
                }
                if (i == 9) {
                    assertThat(worst)
                            .as("flow tracking error over 9 frames, px")
                            .isLessThan(2.0);
                }
            }
        }
        assertThat(ids).containsOnly(ids.get(0));
    }

    @Test
    void aCutEndsEveryTrack() {
        FaceTracker tracker = new FaceTracker(detector::detect, FaceTracker.Settings.DEFAULT);
        try (PortraitPan pan = new PortraitPan(320, 320, -1.7, -0.6);
                SourceMotion motion = motion()) {
            int id = -1;
            for (int i = 0; i < 4; i++) {
                Mat frame = pan.frame(i);
                motion.next(frame);
                id = tracker.update(frame, motion).get(0).id();
                frame.release();
            }
            Mat blank = new Mat(320, 320, org.opencv.core.CvType.CV_8UC3, new Scalar(30, 200, 90));
            motion.next(blank);
            assertThat(motion.cut()).isTrue();
            assertThat(tracker.update(blank, motion)).isEmpty();
            blank.release();
            Mat again = pan.frame(4);
            motion.next(again);
            List<FaceTracker.TrackedFace> faces = tracker.update(again, motion);
            again.release();
            assertThat(motion.cut()).isTrue();
            assertThat(faces).hasSize(1);
            assertThat(faces.get(0).id()).as("a new track after the cut").isNotEqualTo(id);
        }
    }

    @Test
    void matchesDetectionsToTracksByOverlapEachAtMostOnce() {
        List<FaceTracker.Track> tracks = List.of(
                new FaceTracker.Track(0, face(0, 0, 100), LandmarkSmoother.Settings.DEFAULT),
                new FaceTracker.Track(1, face(200, 0, 100), LandmarkSmoother.Settings.DEFAULT));
        List<DetectedFace> faces = List.of(face(210, 5, 100), face(5, 0, 100), face(500, 0, 100));
        assertThat(FaceTracker.match(tracks, faces, 0.3))
                .extracting(FaceTracker.Match::track, FaceTracker.Match::face)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(0, 1), org.assertj.core.groups.Tuple.tuple(1, 0));
    }

    @Test
    void measuresAJumpInEyeDistances() {
        DetectedFace face = face(0, 0, 100);
        float[] moved = face.landmarks();
        LandmarkSmootherTest.shift(moved, 25, 0);
        assertThat(FaceTracker.jump(moved, face))
                .isCloseTo(25 / FaceTracker.eyeDistance(moved), org.assertj.core.api.Assertions.within(1e-6));
    }

    /** A square face box at (x, y), side {@code side}, with plausible landmarks. */
    static DetectedFace face(float x, float y, float side) {
        float[] l = new float[10];
        float[][] rel = {{0.3f, 0.4f}, {0.7f, 0.4f}, {0.5f, 0.6f}, {0.35f, 0.78f}, {0.65f, 0.78f}};
        for (int p = 0; p < 5; p++) {
            l[2 * p] = x + rel[p][0] * side;
            l[2 * p + 1] = y + rel[p][1] * side;
        }
        return new DetectedFace(x, y, x + side, y + side, 0.99f, l);
    }
}
