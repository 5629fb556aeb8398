package io.animegan.stylize.video;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.testing.TestAssets;
import io.animegan.face.FaceStageApp;
import io.animegan.face.detect.DetectedFace;
import io.animegan.face.detect.RetinaFaceDetector;
import io.animegan.video.SourceMotion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

class FaceTrackStylizerTest {

    static final Scalar MAGENTA = new Scalar(255, 0, 255);

    static OnnxModel model;

    @BeforeAll
    static void load() {
        model = OnnxModel.load(TestAssets.requireModel(FaceStageApp.DETECTOR_MODEL), FaceStageApp.DETECTOR_MODEL, 1);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void pastesEachFacesCropOverTheFaceAndLeavesTheRestOfTheFrame() {
        try (RetinaFaceDetector detector = new RetinaFaceDetector(model);
                PortraitPan pan = new PortraitPan(320, 320, -1.7, -0.6);
                SourceMotion motion = FaceTrackerTest.motion();
                FaceTrackStylizer faces = FaceTrackStylizer.withDetector(
                        model,
                        Mat::clone,
                        crop -> new Mat(crop.size(), crop.type(), MAGENTA),
                        FaceTracker.Settings.DEFAULT)) {
            for (int i = 0; i < 3; i++) {
                Mat frame = pan.frame(i);
                DetectedFace face = detector.detect(frame).get(0);
                motion.next(frame);
                Mat out = faces.stylize(frame, motion);
                int noseX = Math.round(face.landmarkX(DetectedFace.NOSE));
                int noseY = Math.round(face.landmarkY(DetectedFace.NOSE));
                assertThat(out.get(noseY, noseX)).as("the nose, frame %d", i).containsExactly(255, 0, 255);
                assertThat(out.get(2, 2)).as("a corner, frame %d", i).containsExactly(frame.get(2, 2));
                out.release();
                frame.release();
            }
            assertThat(faces.facesDrawn()).isEqualTo(3);
        }
    }

    @Test
    void aFrameOnItsOwnHasItsFacesDetectedAfresh() {
        try (PortraitPan pan = new PortraitPan(320, 320, 0, 0);
                FaceTrackStylizer faces = FaceTrackStylizer.withDetector(
                        model,
                        Mat::clone,
                        crop -> new Mat(crop.size(), crop.type(), MAGENTA),
                        FaceTracker.Settings.DEFAULT)) {
            Mat frame = pan.frame(0);
            faces.stylize(frame).release();
            faces.stylize(frame).release();
            frame.release();
            assertThat(faces.facesDrawn()).isEqualTo(2);
        }
    }
}
