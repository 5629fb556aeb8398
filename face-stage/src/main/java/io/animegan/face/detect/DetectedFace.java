package io.animegan.face.detect;

import io.animegan.common.face.FaceTemplate;

/**
 * One face found by {@link RetinaFaceDetector}, in pixels of the picture given to the detector.
 * The box is not clipped to the picture: a face cut by the border keeps its full estimated size.
 *
 * @param landmarks five points as {@code x0, y0, ..., x4, y4}, in image terms (not the person's):
 *     eye on the image's left, eye on the image's right, nose tip, mouth corner on the image's
 *     left, mouth corner on the image's right
 */
public record DetectedFace(float x1, float y1, float x2, float y2, float score, float[] landmarks) {

    public static final int LANDMARK_COUNT = FaceTemplate.LANDMARK_COUNT;
    public static final int LEFT_EYE = 0;
    public static final int RIGHT_EYE = 1;
    public static final int NOSE = 2;
    public static final int LEFT_MOUTH = 3;
    public static final int RIGHT_MOUTH = 4;

    public DetectedFace {
        if (landmarks.length != LANDMARK_COUNT * 2) {
            throw new IllegalArgumentException("expected 10 landmark coordinates, got " + landmarks.length);
        }
        landmarks = landmarks.clone();
    }

    /** A copy: the record stays immutable. Use {@link #landmarkX}/{@link #landmarkY} to read one point. */
    @Override
    public float[] landmarks() {
        return landmarks.clone();
    }

    public float landmarkX(int point) {
        return landmarks[point * 2];
    }

    public float landmarkY(int point) {
        return landmarks[point * 2 + 1];
    }

    public float width() {
        return x2 - x1;
    }

    public float height() {
        return y2 - y1;
    }

    public float area() {
        return width() * height();
    }
}
