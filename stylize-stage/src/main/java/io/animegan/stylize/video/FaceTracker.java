package io.animegan.stylize.video;

import io.animegan.face.detect.DetectedFace;
import io.animegan.video.SourceMotion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.opencv.core.Mat;

/**
 * Follows the faces of a clip from frame to frame: detected every few frames and at scene cuts,
 * moved with the source's flow in between, matched to the new detections by the overlap of their
 * boxes (so a face keeps its track and its smoothing), and smoothed ({@link LandmarkSmoother}).
 *
 * <p>Not thread-safe; one per segment, fed every frame in order (warm-up frames included, so a
 * segment's first own frame continues the faces of the one before).
 */
final class FaceTracker {

    /**
     * @param detectEvery frames from one detection to the next within a scene
     * @param minOverlap intersection over union of boxes from which a detection continues a track
     * @param maxJump a detection further than this many eye distances from its track's points
     *     starts the smoothing afresh
     * @param smoothing the landmark smoother's settings
     */
    record Settings(int detectEvery, double minOverlap, double maxJump, LandmarkSmoother.Settings smoothing) {
        static final Settings DEFAULT = new Settings(5, 0.3, 0.5, LandmarkSmoother.Settings.DEFAULT);
    }

    /** One followed face: its tracked (raw) points and box, and its smoother. */
    static final class Track {
        final int id;
        float[] landmarks;
        float[] box;
        final LandmarkSmoother smoother;

        Track(int id, DetectedFace face, LandmarkSmoother.Settings smoothing) {
            this.id = id;
            this.smoother = new LandmarkSmoother(smoothing);
            take(face);
        }

        void take(DetectedFace face) {
            landmarks = face.landmarks();
            box = new float[] {face.x1(), face.y1(), face.x2(), face.y2()};
        }
    }

    /** A face to draw in this frame: its track's id and the detector's form with the smoothed points. */
    record TrackedFace(int id, DetectedFace face) {}

    private final Function<Mat, List<DetectedFace>> detector;
    private final Settings settings;
    private final List<Track> tracks = new ArrayList<>();
    private int sinceDetection;
    private int nextId;

    /** @param detector faces in an 8-bit BGR frame */
    FaceTracker(Function<Mat, List<DetectedFace>> detector, Settings settings) {
        this.detector = detector;
        this.settings = settings;
    }

    /**
     * The faces of {@code bgr}, smoothed. {@code motion} has moved on to {@code bgr}; null takes the
     * frame on its own (detected afresh, nothing carried over).
     */
    List<TrackedFace> update(Mat bgr, SourceMotion motion) {
        boolean cut = motion == null || motion.cut();
        if (cut) {
            tracks.clear();
        } else {
            follow(motion::follow);
        }
        if (cut || ++sinceDetection >= settings.detectEvery()) {
            detect(bgr);
            sinceDetection = 0;
        }
        dropOutside(bgr.cols(), bgr.rows());
        return smoothed();
    }

    /** Moves every track (its points, box and smoother) with the source's motion. */
    void follow(LandmarkSmoother.PointMotion motion) {
        for (Track track : tracks) {
            float[] before = track.landmarks.clone();
            motion.move(track.landmarks);
            shiftBox(track.box, meanShift(before, track.landmarks, 0), meanShift(before, track.landmarks, 1));
            track.smoother.follow(motion);
        }
    }

    /** Detects the frame's faces and matches them to the tracks; unmatched tracks end, new faces start one. */
    void detect(Mat bgr) {
        List<DetectedFace> faces = detector.apply(bgr);
        List<Track> kept = new ArrayList<>();
        boolean[] used = new boolean[faces.size()];
        for (Match match : match(tracks, faces, settings.minOverlap())) {
            Track track = tracks.get(match.track());
            DetectedFace face = faces.get(match.face());
            if (jump(track.landmarks, face) > settings.maxJump()) {
                track.smoother.reset();
            }
            track.take(face);
            kept.add(track);
            used[match.face()] = true;
        }
        for (int f = 0; f < faces.size(); f++) {
            if (!used[f]) {
                kept.add(new Track(nextId++, faces.get(f), settings.smoothing()));
            }
        }
        tracks.clear();
        tracks.addAll(kept);
    }

    /** A detection matched to a track. */
    record Match(int track, int face, double overlap) {}

    /** Greedy matching by box overlap, largest first, each track and face at most once. */
    static List<Match> match(List<Track> tracks, List<DetectedFace> faces, double minOverlap) {
        List<Match> candidates = new ArrayList<>();
        for (int t = 0; t < tracks.size(); t++) {
            for (int f = 0; f < faces.size(); f++) {
                double overlap = overlap(tracks.get(t).box, faces.get(f));
                if (overlap >= minOverlap) {
                    candidates.add(new Match(t, f, overlap));
                }
            }
        }
        candidates.sort(Comparator.comparingDouble(Match::overlap).reversed());
        List<Match> chosen = new ArrayList<>();
        for (Match c : candidates) {
            if (chosen.stream().noneMatch(m -> m.track() == c.track() || m.face() == c.face())) {
                chosen.add(c);
            }
        }
        return chosen;
    }

    /** Intersection over union of a box {@code x1, y1, x2, y2} and a face's box. */
    static double overlap(float[] box, DetectedFace face) {
        double w = Math.min(box[2], face.x2()) - Math.max(box[0], face.x1());
        double h = Math.min(box[3], face.y2()) - Math.max(box[1], face.y1());
        if (w <= 0 || h <= 0) {
            return 0;
        }
        double intersection = w * h;
        double union = (box[2] - box[0]) * (box[3] - box[1]) + face.area() - intersection;
        return intersection / union;
    }

    /** Mean distance of a detection's points from the track's, in eye distances. */
    static double jump(float[] landmarks, DetectedFace face) {
        double sum = 0;
        for (int p = 0; p < DetectedFace.LANDMARK_COUNT; p++) {
            sum += Math.hypot(face.landmarkX(p) - landmarks[2 * p], face.landmarkY(p) - landmarks[2 * p + 1]);
        }
        return sum / DetectedFace.LANDMARK_COUNT / eyeDistance(landmarks);
    }

    /** The face's size for the smoother and the jump test: the distance between its eyes, at least a pixel. */
    static double eyeDistance(float[] landmarks) {
        int l = DetectedFace.LEFT_EYE * 2;
        int r = DetectedFace.RIGHT_EYE * 2;
        return Math.max(1, Math.hypot(landmarks[r] - landmarks[l], landmarks[r + 1] - landmarks[l + 1]));
    }

    /** Tracks whose points the flow has carried out of the frame end (their face has left). */
    private void dropOutside(int width, int height) {
        tracks.removeIf(t -> {
            double cx = meanOf(t.landmarks, 0);
            double cy = meanOf(t.landmarks, 1);
            return cx < 0 || cy < 0 || cx >= width || cy >= height;
        });
    }

    private List<TrackedFace> smoothed() {
        List<TrackedFace> faces = new ArrayList<>();
        for (Track t : tracks) {
            float[] points = t.smoother.smooth(t.landmarks, eyeDistance(t.landmarks));
            faces.add(new TrackedFace(t.id, new DetectedFace(t.box[0], t.box[1], t.box[2], t.box[3], 1, points)));
        }
        return faces;
    }

    List<Track> tracks() {
        return List.copyOf(tracks);
    }

    private static void shiftBox(float[] box, double dx, double dy) {
        box[0] += (float) dx;
        box[2] += (float) dx;
        box[1] += (float) dy;
        box[3] += (float) dy;
    }

    private static double meanShift(float[] before, float[] after, int offset) {
        return meanOf(after, offset) - meanOf(before, offset);
    }

    private static double meanOf(float[] points, int offset) {
        double sum = 0;
        for (int i = offset; i < points.length; i += 2) {
            sum += points[i];
        }
        return sum / (points.length / 2);
    }
}
